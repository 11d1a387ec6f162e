// Init schemes (docs/protocol.md §5.3, §5.2) on whole built models at d = 128: the statistics of every
// parameter group. Sample sizes are 16k–65k values per Linear, so the sample std of a correct
// init is within ~1% of its target; the checks allow 5%.

import { describe, expect, it } from 'vitest';
import { Graph } from './graph.ts';
import { constant } from './init.ts';
import { architectureFromLayers } from '../model/architecture.ts';
import { buildModel } from '../model/build.ts';
import { ParamFactory, type InitScheme } from './params.ts';

const D = 128;
const V = 16;

function built(scheme: InitScheme, task?: 'compression'): Map<string, Float32Array> {
  const g = new Graph('cpu');
  const ids = g.input([1, 32], 'i32', 'ids');
  buildModel(g, new ParamFactory(g, 5, scheme), ids, architectureFromLayers(['mlp', 'mlp'], { init: scheme }), { vocabSize: V, maxLength: 32, task });
  return new Map(g.params.map((p) => [p.label, g.initialData.get(p) as Float32Array]));
}

function stats(x: Float32Array): { mean: number; std: number; maxAbs: number } {
  let s = 0;
  let maxAbs = 0;
  for (const v of x) {
    s += v;
    maxAbs = Math.max(maxAbs, Math.abs(v));
  }
  const mean = s / x.length;
  let q = 0;
  for (const v of x) q += (v - mean) ** 2;
  return { mean, std: Math.sqrt(q / x.length), maxAbs };
}

const LINEAR_WEIGHTS = ['layers.0.mlp.fc1.weight', 'layers.0.mlp.fc2.weight', 'layers.1.mlp.fc1.weight', 'layers.1.mlp.fc2.weight', 'head.weight'];
const AE_LINEAR_WEIGHTS = ['layers.0.mlp.fc1.weight', 'layers.1.mlp.fc2.weight', 'decoder.0.linear.weight', 'decoder.1.linear.weight', 'decoder.2.linear.weight'];

function expectNormal(x: Float32Array, std: number, label: string): void {
  const s = stats(x);
  expect(Math.abs(s.mean), `${label} mean`).toBeLessThan((5 * std) / Math.sqrt(x.length));
  expect(Math.abs(s.std / std - 1), `${label} std ${s.std}`).toBeLessThan(0.05);
  expect(s.maxAbs, `${label} max`).toBeGreaterThan(3 * std); // Gaussian tails, not a uniform's edge
}

function expectUniform(x: Float32Array, bound: number, label: string): void {
  const s = stats(x);
  expect(s.maxAbs, `${label} max`).toBeLessThanOrEqual(bound);
  expect(s.maxAbs, `${label} max`).toBeGreaterThan(0.99 * bound);
  expect(Math.abs(s.std / (bound / Math.sqrt(3)) - 1), `${label} std ${s.std}`).toBeLessThan(0.05);
}

describe('init schemes on a built model (d=128, mlp×2, V=16)', () => {
  it("'paper': every Linear weight N(0, 0.02), biases 0, embedding N(0, 0.02), norms 1", () => {
    const p = built('paper');
    for (const label of LINEAR_WEIGHTS) expectNormal(p.get(label)!, 0.02, label);
    expectNormal(p.get('embedding.weight')!, 0.02, 'embedding');
    expect(p.get('head.bias')).toEqual(constant(V, 0));
    for (const label of ['layers.0.norm.weight', 'layers.1.norm.weight', 'final_norm.weight']) expect(p.get(label)).toEqual(constant(D, 1));
  });

  it("'current': Linear weights keep PyTorch's U(±1/√fan_in), biases 0, embedding N(0, 0.02)", () => {
    const p = built('current');
    expectUniform(p.get('layers.0.mlp.fc1.weight')!, 1 / Math.sqrt(D), 'fc1 (fan_in 128)');
    expectUniform(p.get('layers.1.mlp.fc2.weight')!, 1 / Math.sqrt(4 * D), 'fc2 (fan_in 512)');
    expectUniform(p.get('head.weight')!, 1 / Math.sqrt(D), 'head (fan_in 128)');
    expectNormal(p.get('embedding.weight')!, 0.02, 'embedding');
    expect(p.get('head.bias')).toEqual(constant(V, 0));
  });

  it("the AutoEncoder's init is fixed to N(0, 0.02) / 0 whatever the scheme (docs/protocol.md §5.2)", () => {
    for (const scheme of ['paper', 'current'] as const) {
      const p = built(scheme, 'compression');
      for (const label of AE_LINEAR_WEIGHTS) expectNormal(p.get(label)!, 0.02, `${scheme} ${label}`);
      for (const i of [0, 1]) expect(p.get(`decoder.${i}.linear.bias`)).toEqual(constant(D, 0));
      expect(p.get('decoder.2.linear.bias')).toEqual(constant(V, 0));
    }
  });

  it('a seed reproduces every weight; withScheme continues the same stream', () => {
    const once = built('paper');
    const again = built('paper');
    for (const [label, values] of once) expect(again.get(label), label).toEqual(values);
    const g = new Graph('cpu');
    const a = new ParamFactory(g, 3, 'current');
    a.linearWeight(4, 4, 'a');
    const continued = g.initialData.get(a.withScheme('paper').linearWeight(4, 4, 'b'))!;
    const h = new Graph('cpu');
    const restarted = h.initialData.get(new ParamFactory(h, 3, 'paper').linearWeight(4, 4, 'b'))!;
    expect(continued).not.toEqual(restarted); // a restarted stream would repeat the first draws
    expect(a.withScheme('current')).toBe(a);
    // 'current' keeps a bias flagged "no re-init"; 'paper' zeroes it.
    const dt = (_rng: unknown, n: number) => constant(n, 0.5);
    expect(g.initialData.get(a.linearBias(3, 'dt', dt))).toEqual(constant(3, 0.5));
    expect(g.initialData.get(a.withScheme('paper').linearBias(3, 'dt2', dt))).toEqual(constant(3, 0));
  });
});

describe('ParamFactory.planning', () => {
  it('creates the same parameters as a drawing factory, with no values, and its graph cannot compile', () => {
    const spec = architectureFromLayers(['mamba', 'mlp'], { init: 'current' });
    const shapes = (factory: (g: Graph) => ParamFactory): { g: Graph; params: string[] } => {
      const g = new Graph('cpu');
      buildModel(g, factory(g), g.input([1, 16], 'i32', 'ids'), spec, { vocabSize: V, maxLength: 16 });
      return { g, params: g.params.map((p) => `${p.label} [${p.shape.join(', ')}] @${p.offset}`) };
    };
    const drawn = shapes((g) => new ParamFactory(g, 1, 'current'));
    const planned = shapes((g) => ParamFactory.planning(g, 'current'));
    expect(planned.params).toEqual(drawn.params);
    expect(planned.g.plannedBytes).toEqual(drawn.g.plannedBytes);
    expect(drawn.g.initialData.size).toBeGreaterThan(0);
    expect(() => planned.g.initialData).toThrow(/traced for planning only \(\d+ parameters have no initial values\)/);
  });

  it('stays a planning factory under another scheme (the AutoEncoder switches to paper)', () => {
    const g = new Graph('cpu');
    const planning = ParamFactory.planning(g, 'current');
    planning.withScheme('paper').embedding(V, D, 'e');
    expect(g.params).toHaveLength(1);
    expect(() => g.initialData).toThrow(/planning only/);
  });
});
