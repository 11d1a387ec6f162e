import { describe, expect, it } from 'vitest';
import { asF32, randomArray } from '../../engine/testing/random.ts';
import { countLayerParameters } from '../counting.ts';
import { resolveLayerConfig } from '../registry.ts';
import { hyenaExpertsLayer } from './hyenaExperts.ts';
import { hyenaExpertsRef, type RefShape } from './reference.ts';
import { expectLayerMatchesRef, gradcheckLayerRef, traceParams } from './testUtil.ts';

describe('hyena-experts layer', () => {
  it('parameters at d=128, max_length=128 match spec §4.3 (57,080 + 3·128)', () => {
    expect(countLayerParameters(hyenaExpertsLayer, resolveLayerConfig('hyena-experts'), 128, 128)).toBe(57_080 + 3 * 128);
  });

  it('validate names the offending key', () => {
    expect(() => resolveLayerConfig('hyena-experts', { experts: 2 })).toThrow(/hyena-experts: unknown config key 'experts'/);
    expect(() => resolveLayerConfig('hyena-experts', { active_experts: 9 })).toThrow(/hyena-experts: 'active_experts'/);
    expect(() => resolveLayerConfig('hyena-experts', { num_experts: 0 })).toThrow(/hyena-experts: 'num_experts'/);
  });

  const lc = (order: number) => ({ bias: true, filter_cls: 'implicit', filter_cfg: { order } });

  it('reference backward matches finite differences (x and every parameter)', () => {
    const s: RefShape = { B: 2, T: 3, dim: 4, maxLength: 5 };
    const config = resolveLayerConfig('hyena-experts', { dim: 4, dim_inner: 2, num_experts: 3, active_experts: 2, long_conv_cfg: lc(2) });
    const params = traceParams(hyenaExpertsLayer, config, s, 3);
    const x = asF32(randomArray(s.B * s.T * s.dim, 4)).f64;
    const dy = randomArray(s.B * s.T * s.dim, 5);
    const maxDiff = gradcheckLayerRef(
      (tp, p, xn) => hyenaExpertsRef(tp, p, xn, s, { dimInner: 2, experts: 3, active: 2, K: 3, order: 2 }),
      params,
      x,
      dy,
    );
    expect(maxDiff).toBeLessThan(1e-6);
  });

  // Tolerance as for hyena (atol 1e-4·max|ref| + rtol 1e-3). Random router scores are far from ties, so
  // the top-2 selection is the same in f32 and f64.
  it('GPU forward and backward (dx and every parameter) match the f64 reference', async () => {
    const s: RefShape = { B: 2, T: 5, dim: 8, maxLength: 8 };
    const config = resolveLayerConfig('hyena-experts', { dim: 8, dim_inner: 4, num_experts: 4, active_experts: 2, long_conv_cfg: lc(4) });
    await expectLayerMatchesRef(
      hyenaExpertsLayer,
      config,
      s,
      (tp, p, x) => hyenaExpertsRef(tp, p, x, s, { dimInner: 4, experts: 4, active: 2, K: 3, order: 4 }),
      31,
      { atol: 1e-4, rtol: 1e-3 },
    );
  });
});
