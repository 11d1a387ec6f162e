import { describe, expect, it } from 'vitest';
import { countLayerParameters } from '../counting.ts';
import { resolveLayerConfig } from '../registry.ts';
import { expectLayerMatchesReference, expectReferenceMatchesFiniteDifferences, type LayerCase } from '../testing/layerHarness.ts';
import { swigluReference } from './reference.ts';
import { swigluInnerWidth, swigluLayer } from './swiglu.ts';

// Largest |ref| < 1 in every compared tensor, so 1e-6·max|ref| is below the absolute 1e-6 this
// test held before the harness.
const TOLERANCE = { atolOfMax: 1e-6, rtol: 1e-4 };

describe('swiglu layer', () => {
  it('inner width: int(2·d·4/3) rounded up to 16 (352 at d=128), dim_inner ignored', () => {
    expect(swigluInnerWidth(128)).toBe(352);
    expect(swigluInnerWidth(16)).toBe(48);
    expect(countLayerParameters(swigluLayer, resolveLayerConfig('swiglu', { dim_inner: 512 }), 128, 128)).toBe(135_168);
  });

  it('validate names the offending key', () => {
    expect(() => resolveLayerConfig('swiglu', { hidden: 3 })).toThrow(/swiglu: unknown config key 'hidden'/);
    expect(() => resolveLayerConfig('swiglu', { bias: true })).toThrow(/swiglu: bias/);
    expect(() => resolveLayerConfig('swiglu', { drop_rate: 0.1 })).toThrow(/swiglu: drop_rate/);
    expect(() => resolveLayerConfig('swiglu', { dim_inner: 0 })).toThrow(/swiglu: 'dim_inner'/);
  });

  /** Linear weights in ±1/√fan_in (PyTorch's init scale), x and dy in ±1. */
  const swigluCase = (B: number, T: number, dim: number, seed: number): LayerCase => ({
    name: `swiglu B=${B} T=${T} d=${dim}`,
    shape: { B, T, dim, maxLength: T },
    build: (ctx, x) => swigluLayer.build(ctx, x, resolveLayerConfig('swiglu', { dim })),
    reference: (t, p, x) => swigluReference(t, p, x, dim, swigluInnerWidth(dim)),
    weights: (_key, [, fanIn]) => [-1 / Math.sqrt(fanIn!), 1 / Math.sqrt(fanIn!)],
    seed,
  });

  it('reference backward matches finite differences (x and every weight)', () => {
    expectReferenceMatchesFiniteDifferences(swigluCase(1, 3, 4, 1), { maxAbsDiff: 1e-8 });
  });

  // f32 GPU vs f64: sums of ≤ 48 products of O(1) terms (observed errors ≲ 1e-7).
  for (const [B, T, dim] of [
    [2, 7, 16],
    [1, 13, 8],
  ] as const) {
    it(`GPU forward and backward match the f64 reference (B=${B}, T=${T}, d=${dim})`, async () => {
      await expectLayerMatchesReference(swigluCase(B, T, dim, 10 + dim), TOLERANCE);
    });
  }
});
