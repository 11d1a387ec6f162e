import { describe, expect, it } from 'vitest';
import { countLayerParameters } from '../counting.ts';
import { resolveLayerConfig } from '../registry.ts';
import { mhHyenaLayer } from './mhHyena.ts';
import { expectLayerMatchesReference, expectReferenceMatchesFiniteDifferences, type LayerCase } from '../testing/layerHarness.ts';
import { hyenaWeightRange, mhHyenaReference } from './reference.ts';

// The reference's multi-head convolution is the direct formula of docs/protocol.md §4.3 (explicit
// Σ_{s≤t} f_a(t−s)·v_i(s)·x2_j(s) and the sum over i), so the GPU test also checks the fused
// FFT kernel inside the whole layer against the naive formulation.
describe('mh-hyena layer', () => {
  it('parameters at d=128, max_length=128 match docs/protocol.md §4.3 (30,478 + 3·128); filter width 8', () => {
    expect(countLayerParameters(mhHyenaLayer, resolveLayerConfig('mh-hyena'), 128, 128)).toBe(30_478 + 3 * 128);
  });

  it('validate names the offending key', () => {
    expect(() => resolveLayerConfig('mh-hyena', { heads: 2 })).toThrow(/mh-hyena: unknown config key 'heads'/);
    expect(() => resolveLayerConfig('mh-hyena', { num_heads: 8 })).toThrow(/mh-hyena: long_conv_cfg 'num_heads'/);
    expect(() => resolveLayerConfig('mh-hyena', { activation: 'relu' })).toThrow(/mh-hyena: 'activation'/);
  });

  const mhHyenaCase = (B: number, T: number, dim: number, maxLength: number, heads: number, order: number, seed: number): LayerCase => {
    const config = resolveLayerConfig('mh-hyena', { dim, num_heads: heads, long_conv_cfg: { num_heads: heads, bias: true, filter_cls: 'implicit', filter_cfg: { order } } });
    return {
      name: `mh-hyena B=${B} T=${T} d=${dim} ${heads} heads order ${order}`,
      shape: { B, T, dim, maxLength },
      build: (ctx, x) => mhHyenaLayer.build(ctx, x, config),
      reference: (t, p, x) => mhHyenaReference(t, p, x, { T, dim, maxLength }, { inner: dim, heads, groups: 4, K: 3, order }),
      weights: hyenaWeightRange,
      seed,
    };
  };

  it('reference backward matches finite differences (x and every parameter)', () => {
    // I = 4, 2 "heads" → filter width 2, 2 groups of 2 channels; proj 12/4 = 3 tiled 4×.
    expectReferenceMatchesFiniteDifferences(mhHyenaCase(2, 3, 4, 4, 2, 2, 3), { maxAbsDiff: 1e-6 });
  });

  // Tolerance as for hyena: sums of ≤ 16 products of O(1) terms per step.
  it('GPU forward and backward (dx and every parameter) match the f64 reference (8 wide, 2 groups of 4)', async () => {
    await expectLayerMatchesReference(mhHyenaCase(2, 6, 8, 6, 4, 2, 21), { atolOfMax: 1e-4, rtol: 1e-3 });
  });
});
