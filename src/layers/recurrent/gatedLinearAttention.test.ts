import { describe, expect, it } from 'vitest';
import { Graph } from '../../engine/graph.ts';
import { gradcheck } from '../../engine/testing/gradcheck.ts';
import { runOp } from '../../engine/testing/opHarness.ts';
import { randomArray } from '../../engine/testing/random.ts';
import { ParamFactory } from '../../model/params.ts';
import { data, expectClose } from '../channel/testUtil.ts';
import { resolveLayerConfig } from '../registry.ts';
import { GLA_INIT_GAIN, gatedLinearAttentionLayer, glaForward, mhGatedLinearAttentionLayer, type GlaParams } from './gatedLinearAttention.ts';
import { GLA_PARAM_NAMES, glaBackwardReference, glaReference, type GlaRefParams, type GlaRefShape } from './glaReference.ts';

function paramShapes(s: GlaRefShape): Record<(typeof GLA_PARAM_NAMES)[number], number[]> {
  return {
    q: [s.dk, s.d],
    k: [s.dk, s.d],
    v: [s.dv, s.d],
    g: [s.dv, s.d],
    gk1: [s.rank, s.d],
    gk2: [s.dk, s.rank],
    gk2Bias: [s.dk],
    norm: [s.dv / s.heads],
    o: [s.d, s.dv],
  };
}

describe('gated-linear-attention layers', () => {
  it('parameters, init and state at d=128 (86,272 single-head; 86,160 with 8 heads)', () => {
    for (const [layer, total, normSize] of [
      [gatedLinearAttentionLayer, 86_272, 128],
      [mhGatedLinearAttentionLayer, 86_160, 16],
    ] as const) {
      const g = new Graph();
      const x = g.input([1, 4, 128], 'f32', 'x');
      const config = resolveLayerConfig(layer.name);
      layer.build({ g, params: new ParamFactory(g, 0, 'current'), dim: 128, maxLength: 128, name: 'l' }, x, config);
      expect(g.params.map((p) => `${p.label} ${p.shape.join('×')}`)).toEqual([
        'l.q_proj.weight 128×128',
        'l.k_proj.weight 128×128',
        'l.v_proj.weight 128×128',
        'l.g_proj.weight 128×128',
        'l.gk_proj.0.weight 16×128',
        'l.gk_proj.1.weight 128×16',
        'l.gk_proj.1.bias 128',
        'l.o_proj.weight 128×128',
        `l.g_norm.weight ${normSize}`,
      ]);
      expect(g.params.reduce((n, p) => n + p.size, 0)).toBe(total);
      const bound = GLA_INIT_GAIN * Math.sqrt(6 / 256);
      const qInit = g.initialData.get(g.params[0]!) as Float32Array;
      expect(Math.max(...qInit.map(Math.abs))).toBeLessThanOrEqual(bound);
      expect(Math.max(...qInit.map(Math.abs))).toBeGreaterThan(0.95 * bound);
      expect(Array.from(g.initialData.get(g.params[8]!) as Float32Array).every((v) => v === 1)).toBe(true);
      expect(Array.from(g.initialData.get(g.params[6]!) as Float32Array).every((v) => v === 0)).toBe(true);
    }
    expect(mhGatedLinearAttentionLayer.stateSize(resolveLayerConfig('mh-gated-linear-attention'), 128)).toBe(2048);
    expect(gatedLinearAttentionLayer.stateSize(resolveLayerConfig('gated-linear-attention'), 128)).toBe(16384);
  });

  it('validate names the offending key', () => {
    expect(() => resolveLayerConfig('gated-linear-attention', { heads: 2 })).toThrow(/gated-linear-attention: unknown config key 'heads'/);
    expect(() => resolveLayerConfig('mh-gated-linear-attention', { num_heads: 3 })).toThrow(/'num_heads' 3 must divide/);
    expect(() => resolveLayerConfig('mh-gated-linear-attention', { gate_fn: 'relu' })).toThrow(/'gate_fn'/);
    expect(() => resolveLayerConfig('gated-linear-attention', { mode: 'parallel' })).toThrow(/'mode'/);
    expect(() => resolveLayerConfig('gated-linear-attention', { gate_low_rank_dim: 0 })).toThrow(/'gate_low_rank_dim'/);
  });

  const tiny = (heads: number): GlaRefShape => ({ B: 2, T: 3, d: 4, heads, dk: 4, dv: 4, rank: 2, eps: 1e-5, normalizer: 16 });
  for (const heads of [1, 2]) {
    it(`reference backward matches finite differences (x and every parameter), ${heads} head(s)`, () => {
      const s = tiny(heads);
      const shapes = paramShapes(s);
      const xs = [randomArray(s.B * s.T * s.d, 1), ...GLA_PARAM_NAMES.map((n, i) => randomArray(shapes[n].reduce((a, b) => a * b, 1), 10 + i, n === 'norm' ? 0.5 : -1, n === 'norm' ? 1.5 : 1))];
      const pack = (v: Float64Array[]): GlaRefParams => Object.fromEntries(GLA_PARAM_NAMES.map((n, i) => [n, v[i + 1]!])) as unknown as GlaRefParams;
      const dy = randomArray(s.B * s.T * s.d, 2);
      const r = glaBackwardReference(xs[0]!, pack(xs), s, dy);
      const result = gradcheck((v) => glaReference(v[0]!, pack(v), s), xs, dy, [r.dx, ...GLA_PARAM_NAMES.map((n) => r[n])], xs.map((_, i) => i));
      expect(result.maxAbsDiff).toBeLessThan(1e-7);
    });
  }

  // GPU (matmuls, chunked recurrence, RMSNorm, elementwise ops, f32) vs the f64 layer reference at
  // width 8, T = 20 (two chunks): every value is a short f32 sum of O(1) terms; 1e-4 abs/rel
  // leaves ~100× margin over the observed differences.
  it('GPU layer forward and every gradient match the f64 reference (2 heads, T = 20 crosses a chunk)', async () => {
    const s: GlaRefShape = { B: 2, T: 20, d: 8, heads: 2, dk: 8, dv: 8, rank: 3, eps: 1e-5, normalizer: 16 };
    const shapes = paramShapes(s);
    const x = data(s.B * s.T * s.d, 1);
    const ps = GLA_PARAM_NAMES.map((n, i) => data(shapes[n].reduce((a, b) => a * b, 1), 10 + i, n === 'norm' ? 1.5 : 0.6, n === 'norm' ? 0.5 : undefined));
    const dy = data(s.B * s.T * s.d, 2);
    const { output, grads } = await runOp(
      [{ shape: [s.B, s.T, s.d], data: x.f32 }, ...GLA_PARAM_NAMES.map((n, i) => ({ shape: shapes[n], data: ps[i]!.f32, param: true }))],
      (g, [xt, ...pt]) =>
        glaForward(g, xt!, Object.fromEntries(GLA_PARAM_NAMES.map((n, i) => [n, pt[i]!])) as unknown as GlaParams, {
          heads: s.heads,
          eps: s.eps,
          gateNormalizer: s.normalizer,
        }),
      dy.f32,
    );
    const p = Object.fromEntries(GLA_PARAM_NAMES.map((n, i) => [n, ps[i]!.f64])) as unknown as GlaRefParams;
    expectClose('forward', output, glaReference(x.f64, p, s), 1e-4, 1e-4);
    const r = glaBackwardReference(x.f64, p, s, dy.f64);
    expectClose('backward dx', grads[0]!, r.dx, 1e-4, 1e-4);
    GLA_PARAM_NAMES.forEach((n, i) => expectClose(`backward d${n}`, grads[i + 1]!, r[n], 1e-4, 1e-4));
  });
});
