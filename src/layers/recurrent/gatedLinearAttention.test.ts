import { describe, expect, it } from 'vitest';
import { Graph } from '../../engine/graph.ts';
import { ParamFactory } from '../../engine/params.ts';
import { resolveLayerConfig } from '../registry.ts';
import { expectLayerMatchesReference, expectReferenceMatchesFiniteDifferences, type LayerCase } from '../testing/layerHarness.ts';
import { GLA_INIT_GAIN, gatedLinearAttentionLayer, mhGatedLinearAttentionLayer } from './gatedLinearAttention.ts';
import { glaReference } from './glaReference.ts';

// Largest |ref| ≤ 10 in every compared tensor, so 1e-5·max|ref| is at most the absolute 1e-4 this
// test held before the harness (measured ≤ 1e-6·max|ref|).
const TOLERANCE = { atolOfMax: 1e-5, rtol: 1e-4 };

/** GLA at width `dim` with `heads` heads and gate rank `rank`; weights in ±range, the norm weight in [0.5, 1.5]. */
function glaCase(B: number, T: number, dim: number, heads: number, rank: number, range: number, seed: number): LayerCase {
  const config = resolveLayerConfig('mh-gated-linear-attention', { dim, num_heads: heads, gate_low_rank_dim: rank });
  return {
    name: `gated-linear-attention B=${B} T=${T} d=${dim} ${heads} head(s)`,
    shape: { B, T, dim, maxLength: T },
    build: (ctx, x) => mhGatedLinearAttentionLayer.build(ctx, x, config),
    reference: (t, p, x) => glaReference(t, p, x, { T, dim, heads, dk: dim, dv: dim, rank, eps: 1e-5, gateNormalizer: 16 }),
    weights: (key) => (key === 'g_norm.weight' ? [0.5, 1.5] : [-range, range]),
    seed,
  };
}

describe('gated-linear-attention layers', () => {
  it('parameters, init and state at d=128 (86,272 single-head; 86,160 with 8 heads)', () => {
    for (const [layer, total, normSize] of [
      [gatedLinearAttentionLayer, 86_272, 128],
      [mhGatedLinearAttentionLayer, 86_160, 16],
    ] as const) {
      const g = new Graph('cpu');
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

  for (const heads of [1, 2]) {
    it(`reference backward matches finite differences (x and every parameter), ${heads} head(s)`, () => {
      expectReferenceMatchesFiniteDifferences(glaCase(2, 3, 4, heads, 2, 1, 1), { maxAbsDiff: 1e-7 });
    });
  }

  // GPU (matmuls, chunked recurrence, RMSNorm, elementwise ops, f32) vs the f64 layer reference at
  // width 8, T = 20 (two chunks): every value is a short f32 sum of O(1) terms.
  it('GPU layer forward and every gradient match the f64 reference (2 heads, T = 20 crosses a chunk)', async () => {
    await expectLayerMatchesReference(glaCase(2, 20, 8, 2, 3, 0.6, 10), TOLERANCE);
  });
});
