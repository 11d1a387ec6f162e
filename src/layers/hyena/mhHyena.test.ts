import { describe, expect, it } from 'vitest';
import { asF32, randomArray } from '../../engine/testing/random.ts';
import { countLayerParameters } from '../counting.ts';
import { resolveLayerConfig } from '../registry.ts';
import { mhHyenaLayer } from './mhHyena.ts';
import { mhHyenaRef, type RefShape } from './reference.ts';
import { expectLayerMatchesRef, gradcheckLayerRef, traceParams } from './testUtil.ts';

// The reference's multi-head convolution is the spec's direct formula (explicit
// Σ_{s≤t} f_a(t−s)·v_i(s)·x2_j(s) and the sum over i), so the GPU test also checks the fused
// FFT kernel inside the whole layer against the naive formulation.
describe('mh-hyena layer', () => {
  it('parameters at d=128, max_length=128 match spec §4.3 (30,478 + 3·128); filter width 8', () => {
    expect(countLayerParameters(mhHyenaLayer, resolveLayerConfig('mh-hyena'), 128, 128)).toBe(30_478 + 3 * 128);
  });

  it('validate names the offending key', () => {
    expect(() => resolveLayerConfig('mh-hyena', { heads: 2 })).toThrow(/mh-hyena: unknown config key 'heads'/);
    expect(() => resolveLayerConfig('mh-hyena', { num_heads: 8 })).toThrow(/mh-hyena: long_conv_cfg 'num_heads'/);
    expect(() => resolveLayerConfig('mh-hyena', { activation: 'relu' })).toThrow(/mh-hyena: 'activation'/);
  });

  const lc = (heads: number, order: number) => ({ num_heads: heads, bias: true, filter_cls: 'implicit', filter_cfg: { order } });

  it('reference backward matches finite differences (x and every parameter)', () => {
    // I = 4, 2 "heads" → filter width 2, 2 groups of 2 channels; proj 12/4 = 3 tiled 4×.
    const s: RefShape = { B: 2, T: 3, dim: 4, maxLength: 4 };
    const config = resolveLayerConfig('mh-hyena', { dim: 4, num_heads: 2, long_conv_cfg: lc(2, 2) });
    const params = traceParams(mhHyenaLayer, config, s, 3);
    const x = asF32(randomArray(s.B * s.T * s.dim, 4)).f64;
    const dy = randomArray(s.B * s.T * s.dim, 5);
    const maxDiff = gradcheckLayerRef((tp, p, xn) => mhHyenaRef(tp, p, xn, s, { inner: 4, heads: 2, groups: 4, K: 3, order: 2 }), params, x, dy);
    expect(maxDiff).toBeLessThan(1e-6);
  });

  // Tolerance as for hyena (atol 1e-4·max|ref| + rtol 1e-3): sums of ≤ 16 products of O(1) terms per step.
  it('GPU forward and backward (dx and every parameter) match the f64 reference (8 wide, 2 groups of 4)', async () => {
    const s: RefShape = { B: 2, T: 6, dim: 8, maxLength: 6 };
    const config = resolveLayerConfig('mh-hyena', { dim: 8, num_heads: 4, long_conv_cfg: lc(4, 2) });
    await expectLayerMatchesRef(
      mhHyenaLayer,
      config,
      s,
      (tp, p, x) => mhHyenaRef(tp, p, x, s, { inner: 8, heads: 4, groups: 4, K: 3, order: 2 }),
      21,
      { atol: 1e-4, rtol: 1e-3 },
    );
  });
});
