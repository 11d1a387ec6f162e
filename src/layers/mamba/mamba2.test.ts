// The mamba2 layer (docs/protocol.md §4.10): exact parameter count and state at d = 128, the
// init under both schemes, validation by key, the f64 reference against finite differences, and
// the GPU layer (forward, input and every parameter gradient) against the reference, through
// src/layers/testing/layerHarness.ts.

import { describe, expect, it } from 'vitest';
import { Graph } from '../../engine/graph.ts';
import { ParamFactory } from '../../engine/params.ts';
import { madlabBenchmarkCommand, madlabExportFiles, madlabRefusal, madlabTrainCommand } from '../../share/madlabExport.ts';
import { makeSetting } from '../../tasks/settings.ts';
import { DEFAULT_TRAINING } from '../../train/types.ts';
import { countLayerParameters } from '../counting.ts';
import { resolveLayerConfig } from '../registry.ts';
import { expectLayerMatchesReference, expectReferenceMatchesFiniteDifferences, type LayerCase, type WeightRange } from '../testing/layerHarness.ts';
import { mamba2Dims, mamba2Forward, mamba2Layer, mamba2Weights, type Mamba2Dims } from './mamba2.ts';
import { mamba2Reference } from './mamba2Reference.ts';

/**
 * Test weights near the layer's init scales, but with dt_bias larger (Δ of order 0.3–1) and
 * A_log over the init's range, so every gradient, dt_bias's and A_log's included, is well above
 * the comparison's noise floor.
 */
function weightRange(key: string, dims: Mamba2Dims): WeightRange {
  const ranges: Record<string, WeightRange> = {
    'in_proj.weight': [-(dims.dim ** -0.5), dims.dim ** -0.5],
    'conv1d.weight': [-0.5, 0.5],
    'conv1d.bias': [-0.5, 0.5],
    dt_bias: [-1, 1],
    A_log: [0, Math.log(16)],
    D: [0.5, 1.5],
    'norm.weight': [0.5, 1.5],
    'out_proj.weight': [-(dims.inner ** -0.5), dims.inner ** -0.5],
  };
  return ranges[key]!;
}

/** mamba2 at the given sizes; `chunk` sets the scan kernel's chunk (the layer's default otherwise). */
function mamba2Case(B: number, T: number, dims: Mamba2Dims, seed: number, chunk?: number): LayerCase {
  const config = resolveLayerConfig('mamba2', {
    dim: dims.dim,
    d_state: dims.state,
    d_conv: dims.conv,
    expand: dims.inner / dims.dim,
    headdim: dims.headdim,
    ngroups: dims.groups,
  });
  return {
    name: `mamba2 B=${B} T=${T} d=${dims.dim} H=${dims.heads} P=${dims.headdim} N=${dims.state} G=${dims.groups}${chunk === undefined ? '' : ` chunk=${chunk}`}`,
    shape: { B, T, dim: dims.dim, maxLength: T },
    build: (ctx, x) => mamba2Forward(ctx.g, x, mamba2Weights(ctx, config), mamba2Dims(config, ctx.dim), chunk),
    reference: (t, p, x) => mamba2Reference(t, p, x, T, dims),
    weights: (key) => weightRange(key, dims),
    seed,
  };
}

describe('mamba2 layer', () => {
  it('parameter count 103,016 and state 2,048 at d = 128 (docs/protocol.md §4.10)', () => {
    const config = resolveLayerConfig('mamba2');
    expect(countLayerParameters(mamba2Layer, config, 128, 128)).toBe(103_016);
    expect(mamba2Layer.stateSize(config, 128)).toBe(2048);
    expect(mamba2Dims(config, 128)).toEqual({ dim: 128, inner: 256, heads: 8, headdim: 32, state: 8, groups: 1, conv: 4 });
  });

  it('init under both schemes: A ∈ [1, 16], dt = softplus(dt_bias) ∈ [1e-3, 0.1], D = 1, norm 1, in mamba_ssm order', () => {
    for (const scheme of ['current', 'paper'] as const) {
      const g = new Graph('cpu');
      const params = new ParamFactory(g, 3, scheme);
      mamba2Layer.build({ g, params, dim: 16, maxLength: 8, name: 'm' }, g.input([1, 8, 16], 'f32', 'x'), resolveLayerConfig('mamba2', { dim: 16, headdim: 4 }));
      const init = (label: string): Float32Array => g.initialData.get(g.params.find((p) => p.label === label)!) as Float32Array;
      const a = Array.from(init('m.A_log')).map(Math.exp);
      expect(a.length).toBe(8);
      expect(a.every((v) => v >= 1 - 1e-5 && v <= 16 * (1 + 1e-5))).toBe(true);
      expect(new Set(a).size).toBe(8);
      for (const b of init('m.dt_bias')) {
        const dt = Math.log1p(Math.exp(b));
        expect(dt).toBeGreaterThanOrEqual(0.001 * (1 - 1e-4));
        expect(dt).toBeLessThanOrEqual(0.1 * (1 + 1e-4));
      }
      expect(init('m.D').every((v) => v === 1)).toBe(true);
      expect(init('m.norm.weight').every((v) => v === 1)).toBe(true);
      const conv = init('m.conv1d.weight');
      expect(conv.every((v) => Math.abs(v) <= 0.5) && conv.some((v) => Math.abs(v) > 0.25)).toBe(true);
      const inProj = init('m.in_proj.weight');
      const bound = scheme === 'paper' ? 0.1 : 0.25; // N(0, 0.02) vs U(±1/√16)
      expect(inProj.every((v) => Math.abs(v) <= bound)).toBe(true);
      expect(inProj.some((v) => Math.abs(v) > (scheme === 'paper' ? 0.03 : 0.15))).toBe(true);
      expect(g.params.map((p) => `${p.label.slice(2)} [${p.shape.join(', ')}]`)).toEqual([
        'in_proj.weight [88, 16]', // 2·32 + 2·8 + 8 heads
        'conv1d.weight [48, 4]',
        'conv1d.bias [48]',
        'dt_bias [8]',
        'A_log [8]',
        'D [8]',
        'norm.weight [32]',
        'out_proj.weight [16, 32]',
      ]);
    }
  });

  it('validate names the offending key', () => {
    expect(() => resolveLayerConfig('mamba2', { d_stat: 8 })).toThrow(/mamba2: unknown config key 'd_stat'/);
    expect(() => resolveLayerConfig('mamba2', { d_state: 0 })).toThrow(/mamba2: 'd_state'/);
    expect(() => resolveLayerConfig('mamba2', { d_state: 32 })).toThrow(/mamba2: 'd_state'/);
    expect(() => resolveLayerConfig('mamba2', { headdim: 24 })).toThrow(/mamba2: 'headdim'/);
    expect(() => resolveLayerConfig('mamba2', { headdim: 256, expand: 2, d_state: 16 })).toThrow(/mamba2: 'headdim'/);
    expect(() => resolveLayerConfig('mamba2', { ngroups: 3 })).toThrow(/mamba2: 'ngroups'/);
    expect(() => resolveLayerConfig('mamba2', { d_conv: 'four' })).toThrow(/mamba2: 'd_conv'/);
    expect(() => resolveLayerConfig('mamba2', { expand: 0 })).toThrow(/mamba2: 'expand'/);
    expect(resolveLayerConfig('mamba2', { ngroups: 2, headdim: 16 })).toMatchObject({ ngroups: 2, headdim: 16 });
  });

  it('the mad-lab export refuses a model with mamba2, saying mad-lab has none', () => {
    const spec = { version: 1 as const, dim: 128, layers: [{ type: 'mamba2' }, { type: 'swiglu' }] };
    const message = "mad-lab has no 'mamba2' layer, so this architecture cannot be exported to mad-lab.";
    expect(madlabRefusal(spec)).toBe(message);
    expect(madlabRefusal({ ...spec, layers: [{ type: 'mamba' }, { type: 'swiglu' }] })).toBeNull();
    expect(() => madlabBenchmarkCommand(spec)).toThrow(message);
    expect(() => madlabExportFiles(spec)).toThrow(message);
    expect(() => madlabTrainCommand(spec, makeSetting('in-context-recall', {}), DEFAULT_TRAINING)).toThrow(message);
  });

  it('reference backward matches finite differences (x and every parameter, two groups)', () => {
    const dims: Mamba2Dims = { dim: 3, inner: 6, heads: 2, headdim: 3, state: 2, groups: 2, conv: 3 };
    expectReferenceMatchesFiniteDifferences(mamba2Case(2, 4, dims, 20), { maxAbsDiff: 1e-7, maxRelDiff: 1e-5 });
  });

  // f32 GPU vs the f64 reference (sequential scan): chains of ≤ 32-term dot products, an RMSNorm
  // and a recurrence over T steps; gradients differ in scale by orders of magnitude.
  for (const { B, T, dims, chunk } of [
    { B: 2, T: 9, dims: { dim: 8, inner: 16, heads: 4, headdim: 4, state: 4, groups: 1, conv: 4 }, chunk: 4 },
    { B: 1, T: 6, dims: { dim: 6, inner: 12, heads: 4, headdim: 3, state: 3, groups: 2, conv: 4 }, chunk: 16 },
  ]) {
    it(`GPU layer forward and backward match the f64 reference (B=${B}, T=${T}, d=${dims.dim}, P=${dims.headdim}, N=${dims.state}, G=${dims.groups}, chunk=${chunk})`, async () => {
      await expectLayerMatchesReference(mamba2Case(B, T, dims, 40, chunk), { atolOfMax: 1e-5, rtol: 1e-4 });
    });
  }
});
