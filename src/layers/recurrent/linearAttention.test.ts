import { describe, expect, it } from 'vitest';
import { Graph } from '../../engine/graph.ts';
import { randomArray } from '../../engine/testing/random.ts';
import { ParamFactory } from '../../engine/params.ts';
import { resolveLayerConfig } from '../registry.ts';
import { Tape } from '../reference/tape.ts';
import { expectLayerMatchesReference, expectReferenceMatchesFiniteDifferences, type LayerCase, type WeightRange } from '../testing/layerHarness.ts';
import { linearAttentionLayer, mhLinearAttentionLayer } from './linearAttention.ts';
import { causalLinearAttention, linearAttentionReference } from './linearAttentionReference.ts';

// Largest |ref| < 1 in every compared tensor, so 2e-4·max|ref| is below the absolute 2e-4 this test
// held before the harness (measured ≤ 7e-5·max|ref|, in the feature maps' tiny bias gradients).
const TOLERANCE = { atolOfMax: 2e-4, rtol: 2e-4 };

/** Feature-map biases in [0.8, 1.2] and small weights keep φ > 0, so φq·Σφk stays away from 0. */
function weightRange(key: string): WeightRange {
  if (key.startsWith('feature_map')) return key.endsWith('bias') ? [0.8, 1.2] : [-0.1, 0.1];
  return [-0.2, 0.2];
}

function linearAttentionCase(B: number, T: number, dim: number, heads: number, seed: number): LayerCase {
  return {
    name: `linear-attention B=${B} T=${T} d=${dim} ${heads} heads`,
    shape: { B, T, dim, maxLength: T },
    build: (ctx, x) => mhLinearAttentionLayer.build(ctx, x, resolveLayerConfig('mh-linear-attention', { dim, num_heads: heads })),
    reference: (t, p, x) => linearAttentionReference(t, p, x, { T, dim, heads }),
    weights: weightRange,
    seed,
  };
}

describe('linear-attention layers', () => {
  it('parameters and state at d=128 (131,584 single-head; 65,824 with 16 heads)', () => {
    for (const [layer, total, state] of [
      [linearAttentionLayer, 131_584, 16_384],
      [mhLinearAttentionLayer, 65_824, 1_024],
    ] as const) {
      const g = new Graph('cpu');
      const x = g.input([1, 4, 128], 'f32', 'x');
      const config = resolveLayerConfig(layer.name);
      layer.build({ g, params: new ParamFactory(g, 0, 'current'), dim: 128, maxLength: 128, name: 'l' }, x, config);
      expect(g.params.reduce((n, p) => n + p.size, 0)).toBe(total);
      expect(g.params[0]!.label).toBe('l.feature_map_q.layer1.weight');
      expect(layer.stateSize(config, 128)).toBe(state);
    }
  });

  it('validate names the offending key', () => {
    expect(() => resolveLayerConfig('linear-attention', { feature_map: 'elu' })).toThrow(/linear-attention: 'feature_map'/);
    expect(() => resolveLayerConfig('mh-linear-attention', { norm_q: true })).toThrow(/'norm_q' true is not supported/);
    expect(() => resolveLayerConfig('mh-linear-attention', { num_heads: 5 })).toThrow(/'num_heads' 5 must divide/);
    expect(() => resolveLayerConfig('linear-attention', { eps: 1 })).toThrow(/unknown config key 'eps'/);
  });

  it("the recurrence form equals mad-lab's quadratic form tril(φQ φKᵀ) V / (φq · cumsum φk + eps)", () => {
    const [B, T, H, h] = [2, 9, 2, 3];
    const fq = randomArray(B * T * H * h, 1);
    const fk = randomArray(B * T * H * h, 2);
    const v = randomArray(B * T * H * h, 3);
    const t = new Tape();
    const y = causalLinearAttention(t, t.leaf(fq), t.leaf(fk), t.leaf(v), { B, T, H, dk: h, dv: h }).value;
    const at = (b: number, s: number, hh: number, i: number): number => ((b * T + s) * H + hh) * h + i;
    for (let b = 0; b < B; b++) {
      for (let hh = 0; hh < H; hh++) {
        for (let n = 0; n < T; n++) {
          let z = 0;
          const acc = new Float64Array(h);
          for (let m = 0; m <= n; m++) {
            let a = 0;
            for (let i = 0; i < h; i++) a += fq[at(b, n, hh, i)]! * fk[at(b, m, hh, i)]!;
            for (let j = 0; j < h; j++) acc[j] += a * v[at(b, m, hh, j)]!;
            z += a; // φq_n · Σ_{m≤n} φk_m, summed term by term
          }
          for (let j = 0; j < h; j++) expect(y[at(b, n, hh, j)]).toBeCloseTo(acc[j]! / (z + 1e-12), 9);
        }
      }
    }
  });

  it('reference backward matches finite differences (x and every parameter)', () => {
    expectReferenceMatchesFiniteDifferences(linearAttentionCase(2, 4, 4, 2, 1), { maxRelDiff: 1e-5 });
  });

  // GPU (f32) vs f64 at width 8, 2 heads of 4, T = 20 (two chunks). The normaliser divides by
  // φq·Σφk ≥ ~0.1 here, which amplifies f32 rounding ~10×.
  it('GPU layer forward and every gradient match the f64 reference', async () => {
    await expectLayerMatchesReference(linearAttentionCase(2, 20, 8, 2, 10), TOLERANCE);
  });
});
