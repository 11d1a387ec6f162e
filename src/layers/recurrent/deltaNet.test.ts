// delta-net and gated-delta-net (docs/protocol.md §4.9): parameters, init and state at d = 128,
// config refusals, the f64 reference against finite differences, and the GPU layer (projections,
// short convs, L2 norms, the chunked delta rule, RMSNorm, gate) against the reference.

import { describe, expect, it } from 'vitest';
import { Graph } from '../../engine/graph.ts';
import { ParamFactory } from '../../engine/params.ts';
import { resolveLayerConfig } from '../registry.ts';
import { expectLayerMatchesReference, expectReferenceMatchesFiniteDifferences, type LayerCase } from '../testing/layerHarness.ts';
import { deltaNetLayer, deltaNetShape, gatedDeltaNetLayer } from './deltaNet.ts';
import { deltaNetReference } from './deltaNetReference.ts';

// Every compared value is a short f32 sum of O(1) terms through the unit-norm q, k and a
// contracting state; measured ≤ 1e-6·max|ref|.
const TOLERANCE = { atolOfMax: 1e-5, rtol: 1e-4 };

function deltaNetCase(gated: boolean, B: number, T: number, dim: number, heads: number, headDim: number, shortConv: boolean, seed: number): LayerCase {
  const layer = gated ? gatedDeltaNetLayer : deltaNetLayer;
  const config = resolveLayerConfig(layer.name, { dim, num_heads: heads, head_dim: headDim, use_short_conv: shortConv });
  const shape = deltaNetShape(layer.name, config);
  return {
    name: `${layer.name} B=${B} T=${T} d=${dim} ${heads}×${headDim}${shortConv ? '' : ' no short conv'}`,
    shape: { B, T, dim, maxLength: T },
    build: (ctx, x) => layer.build(ctx, x, config),
    reference: (t, p, x) => deltaNetReference(t, p, x, T, dim, shape, gated),
    // A_log at ln(0.5…4) and dt_bias near softplus⁻¹(0.1): the decays of the init; the norm weight around 1.
    weights: (key) => (key === 'A_log' ? [-0.7, 1.4] : key === 'dt_bias' ? [-3, -1] : key === 'o_norm.weight' ? [0.5, 1.5] : [-0.6, 0.6]),
    seed,
  };
}

describe('delta-rule layers', () => {
  it('parameters, init and state at d=128 (delta-net 68,112; gated-delta-net 85,536; state 2,048)', () => {
    for (const [layer, total, labels] of [
      [deltaNetLayer, 68_112, ['q_proj.weight 128×128', 'k_proj.weight 128×128', 'v_proj.weight 128×128', 'b_proj.weight 8×128']],
      [
        gatedDeltaNetLayer,
        85_536,
        ['q_proj.weight 128×128', 'k_proj.weight 128×128', 'v_proj.weight 128×128', 'a_proj.weight 8×128', 'b_proj.weight 8×128', 'A_log 8', 'dt_bias 8'],
      ],
    ] as const) {
      for (const scheme of ['paper', 'current'] as const) {
        const g = new Graph('cpu');
        const x = g.input([1, 4, 128], 'f32', 'x');
        const config = resolveLayerConfig(layer.name);
        layer.build({ g, params: new ParamFactory(g, 3, scheme), dim: 128, maxLength: 128, name: 'l' }, x, config);
        const tail = ['q_conv1d.weight 128×4', 'k_conv1d.weight 128×4', 'v_conv1d.weight 128×4', ...(layer === gatedDeltaNetLayer ? ['g_proj.weight 128×128'] : []), 'o_norm.weight 16', 'o_proj.weight 128×128'];
        expect(g.params.map((p) => `${p.label.slice(2)} ${p.shape.join('×')}`)).toEqual([...labels, ...tail]);
        expect(g.params.reduce((n, p) => n + p.size, 0)).toBe(total);
        const init = (label: string) => Array.from(g.initialData.get(g.params.find((p) => p.label === `l.${label}`)!) as Float32Array);
        expect(init('o_norm.weight').every((v) => v === 1)).toBe(true);
        expect(Math.max(...init('q_conv1d.weight').map(Math.abs))).toBeLessThanOrEqual(0.5); // U(±1/√4) in both schemes
        expect(Math.max(...init('q_conv1d.weight').map(Math.abs))).toBeGreaterThan(0.3);
        if (layer === gatedDeltaNetLayer) {
          // A ∈ (0, 16]; dt = softplus(dt_bias) ∈ [0.001, 0.1], in both schemes.
          expect(init('A_log').every((v) => v <= Math.log(16) + 1e-6)).toBe(true);
          expect(new Set(init('A_log')).size).toBe(8);
          expect(init('dt_bias').map((b) => Math.log1p(Math.exp(b))).every((dt) => dt >= 0.001 - 1e-6 && dt <= 0.1 + 1e-6)).toBe(true);
        }
        // Linear weights by the scheme: N(0, 0.02) ('paper') or U(±1/√128), std 1/√384 ('current').
        const q = init('q_proj.weight');
        const std = Math.sqrt(q.reduce((n, v) => n + v * v, 0) / q.length);
        expect(std / (scheme === 'paper' ? 0.02 : 1 / Math.sqrt(384))).toBeCloseTo(1, 1);
      }
      expect(layer.stateSize(resolveLayerConfig(layer.name), 128)).toBe(2048);
    }
  });

  it('validate names the offending key', () => {
    expect(() => resolveLayerConfig('delta-net', { heads: 2 })).toThrow(/delta-net: unknown config key 'heads'/);
    expect(() => resolveLayerConfig('gated-delta-net', { head_dim: 32 })).toThrow(/head_dim × head_dim·expand_v = 32×32 exceeds 256/);
    expect(() => resolveLayerConfig('gated-delta-net', { expand_v: 0.3 })).toThrow(/'expand_v'/);
    expect(() => resolveLayerConfig('delta-net', { use_short_conv: 'yes' })).toThrow(/'use_short_conv'/);
    expect(() => resolveLayerConfig('delta-net', { conv_size: 0 })).toThrow(/'conv_size'/);
    expect(() => resolveLayerConfig('delta-net', { num_heads: 0 })).toThrow(/'num_heads'/);
  });

  for (const gated of [false, true]) {
    for (const shortConv of [true, false]) {
      it(`${gated ? 'gated-delta-net' : 'delta-net'} reference backward matches finite differences (x and every parameter)${shortConv ? '' : ', no short conv'}`, () => {
        expectReferenceMatchesFiniteDifferences(deltaNetCase(gated, 2, 5, 4, 2, 2, shortConv, 1), { maxAbsDiff: 1e-7 });
      });
    }
    // Width 8, 2 heads of 4×4, T = 20: two chunks of the kernel's 16.
    it(`${gated ? 'gated-delta-net' : 'delta-net'} GPU layer forward and every gradient match the f64 reference (T = 20 crosses a chunk)`, async () => {
      await expectLayerMatchesReference(deltaNetCase(gated, 2, 20, 8, 2, 4, true, 10), TOLERANCE);
    });
  }
});
