import { describe, expect, it } from 'vitest';
import { Graph } from '../../engine/graph.ts';
import { ParamFactory } from '../../engine/params.ts';
import { countLayerParameters } from '../counting.ts';
import { resolveLayerConfig } from '../registry.ts';
import { expectLayerMatchesReference, expectReferenceMatchesFiniteDifferences, type LayerCase, type WeightRange } from '../testing/layerHarness.ts';
import { mambaDims, mambaForward, mambaLayer, mambaWeights, type MambaDims } from './mamba.ts';
import { mambaReference } from './reference.ts';

/**
 * Test weights near the layer's init scales, but with x_proj, dt_proj and the dt bias larger
 * (B, C, Δ of order 0.3–1) so every gradient, dt_proj's and A_log's included, is well above the
 * comparison's noise floor.
 */
function weightRange(key: string, dims: MambaDims): WeightRange {
  const ranges: Record<string, WeightRange> = {
    'in_proj.weight': [-(dims.dim ** -0.5), dims.dim ** -0.5],
    'in_proj.bias': [-0.3, 0.3],
    'conv1d.weight': [-0.5, 0.5],
    'conv1d.bias': [-0.5, 0.5],
    'x_proj.weight': [-1, 1],
    'dt_proj.weight': [-1, 1],
    'dt_proj.bias': [-1, 1],
    A_log: [0, 1.4],
    D: [0.5, 1.5],
    'out_proj.weight': [-(dims.inner ** -0.5), dims.inner ** -0.5],
    'out_proj.bias': [-0.3, 0.3],
  };
  return ranges[key]!;
}

/** mamba at the given sizes; `chunk` sets the scan kernel's chunk (the layer's default otherwise). */
function mambaCase(B: number, T: number, dims: MambaDims, bias: boolean, seed: number, chunk?: number): LayerCase {
  const config = resolveLayerConfig('mamba', { dim: dims.dim, d_state: dims.state, d_conv: dims.conv, expand: dims.inner / dims.dim, dt_rank: dims.dtRank, bias });
  return {
    name: `mamba B=${B} T=${T} d=${dims.dim} N=${dims.state} bias=${bias}${chunk === undefined ? '' : ` chunk=${chunk}`}`,
    shape: { B, T, dim: dims.dim, maxLength: T },
    build: (ctx, x) => mambaForward(ctx.g, x, mambaWeights(ctx, config), mambaDims(config, ctx.dim), chunk),
    reference: (t, p, x) => mambaReference(t, p, x, T, dims),
    weights: (key) => weightRange(key, dims),
    seed,
  };
}

describe('mamba layer', () => {
  it('parameter count 107,264 and state 1,024 at d = 128 (docs/protocol.md §4.4)', () => {
    const config = resolveLayerConfig('mamba');
    expect(countLayerParameters(mambaLayer, config, 128, 128)).toBe(107_264);
    expect(mambaLayer.stateSize(config, 128)).toBe(1024);
    expect(mambaDims(config, 128)).toEqual({ dim: 128, inner: 256, state: 4, conv: 4, dtRank: 8 });
  });

  it("init: A_log = ln(n+1), D = 1, dt bias = softplus⁻¹(dt ∈ [1e-3, 0.1]) under 'current', 0 under 'paper'", () => {
    for (const scheme of ['current', 'paper'] as const) {
      const g = new Graph('cpu');
      const params = new ParamFactory(g, 3, scheme);
      mambaLayer.build({ g, params, dim: 16, maxLength: 8, name: 'm' }, g.input([1, 8, 16], 'f32', 'x'), resolveLayerConfig('mamba'));
      const init = (label: string): Float32Array => g.initialData.get(g.params.find((p) => p.label === label)!) as Float32Array;
      expect(Array.from(init('m.A_log').slice(0, 8)).map((v) => Math.round(Math.exp(v)))).toEqual([1, 2, 3, 4, 1, 2, 3, 4]);
      expect(init('m.D').every((v) => v === 1)).toBe(true);
      const conv = init('m.conv1d.weight');
      expect(conv.every((v) => Math.abs(v) <= 0.5) && conv.some((v) => Math.abs(v) > 0.25)).toBe(true);
      const dtBias = init('m.dt_proj.bias');
      if (scheme === 'paper') expect(dtBias.every((v) => v === 0)).toBe(true);
      else {
        for (const b of dtBias) {
          const dt = Math.log1p(Math.exp(b));
          expect(dt).toBeGreaterThanOrEqual(0.001 * (1 - 1e-4));
          expect(dt).toBeLessThanOrEqual(0.1 * (1 + 1e-4));
        }
        const wdt = init('m.dt_proj.weight'); // dt_rank = ⌈16/16⌉ = 1 → U(±1)
        expect(wdt.every((v) => Math.abs(v) <= 1) && wdt.some((v) => Math.abs(v) > 0.5)).toBe(true);
      }
      expect(g.params.map((p) => p.label.slice(2))).toEqual([
        'in_proj.weight',
        'conv1d.weight',
        'conv1d.bias',
        'x_proj.weight',
        'dt_proj.weight',
        'dt_proj.bias',
        'A_log',
        'D',
        'out_proj.weight',
      ]);
    }
  });

  it('validate names the offending key', () => {
    expect(() => resolveLayerConfig('mamba', { d_stat: 4 })).toThrow(/mamba: unknown config key 'd_stat'/);
    expect(() => resolveLayerConfig('mamba', { d_state: 0 })).toThrow(/mamba: 'd_state'/);
    expect(() => resolveLayerConfig('mamba', { d_state: 32 })).toThrow(/mamba: 'd_state'/);
    expect(() => resolveLayerConfig('mamba', { dt_rank: 'big' })).toThrow(/mamba: 'dt_rank'/);
    expect(() => resolveLayerConfig('mamba', { dt_init: 'xavier' })).toThrow(/mamba: 'dt_init'/);
    expect(() => resolveLayerConfig('mamba', { dt_min: 0.5 })).toThrow(/mamba: 'dt_min'/);
    expect(() => resolveLayerConfig('mamba', { conv_bias: 'yes' })).toThrow(/mamba: 'conv_bias'/);
    expect(resolveLayerConfig('mamba', { dt_rank: 4, bias: true, dt_init: 'constant' })).toMatchObject({ dt_rank: 4 });
  });

  it('reference backward matches finite differences (x and every parameter)', () => {
    const dims: MambaDims = { dim: 3, inner: 6, state: 2, conv: 3, dtRank: 2 };
    expectReferenceMatchesFiniteDifferences(mambaCase(2, 4, dims, true, 20), { maxAbsDiff: 1e-7, maxRelDiff: 1e-5 });
  });

  // f32 GPU vs the f64 reference (sequential scan): chains of ≤ 16-term dot products and a
  // recurrence over T steps; gradients differ in scale by orders of magnitude (observed
  // ≤ 3e-7·max|ref|).
  for (const { B, T, dims, bias, chunk } of [
    { B: 2, T: 9, dims: { dim: 8, inner: 16, state: 4, conv: 4, dtRank: 2 }, bias: false, chunk: 4 },
    { B: 1, T: 6, dims: { dim: 4, inner: 8, state: 3, conv: 4, dtRank: 1 }, bias: true, chunk: 16 },
  ]) {
    it(`GPU layer forward and backward match the f64 reference (B=${B}, T=${T}, d=${dims.dim}, N=${dims.state}, bias=${bias}, chunk=${chunk})`, async () => {
      await expectLayerMatchesReference(mambaCase(B, T, dims, bias, 40, chunk), { atolOfMax: 1e-5, rtol: 1e-4 });
    });
  }
});
