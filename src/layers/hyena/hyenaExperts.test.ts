import { describe, expect, it } from 'vitest';
import { countLayerParameters } from '../counting.ts';
import { resolveLayerConfig } from '../registry.ts';
import { hyenaExpertsLayer } from './hyenaExperts.ts';
import { expectLayerMatchesReference, expectReferenceMatchesFiniteDifferences, type LayerCase } from '../testing/layerHarness.ts';
import { hyenaExpertsReference, hyenaWeightRange } from './reference.ts';

describe('hyena-experts layer', () => {
  it('parameters at d=128, max_length=128 match docs/protocol.md §4.3 (57,080 + 3·128)', () => {
    expect(countLayerParameters(hyenaExpertsLayer, resolveLayerConfig('hyena-experts'), 128, 128)).toBe(57_080 + 3 * 128);
  });

  it('validate names the offending key', () => {
    expect(() => resolveLayerConfig('hyena-experts', { experts: 2 })).toThrow(/hyena-experts: unknown config key 'experts'/);
    expect(() => resolveLayerConfig('hyena-experts', { active_experts: 9 })).toThrow(/hyena-experts: 'active_experts'/);
    expect(() => resolveLayerConfig('hyena-experts', { num_experts: 0 })).toThrow(/hyena-experts: 'num_experts'/);
  });

  const expertsCase = (B: number, T: number, dim: number, maxLength: number, c: { dimInner: number; experts: number; active: number; order: number }, seed: number): LayerCase => {
    const config = resolveLayerConfig('hyena-experts', {
      dim,
      dim_inner: c.dimInner,
      num_experts: c.experts,
      active_experts: c.active,
      long_conv_cfg: { bias: true, filter_cls: 'implicit', filter_cfg: { order: c.order } },
    });
    return {
      name: `hyena-experts B=${B} T=${T} d=${dim} E=${c.experts} k=${c.active}`,
      shape: { B, T, dim, maxLength },
      build: (ctx, x) => hyenaExpertsLayer.build(ctx, x, config),
      reference: (t, p, x) => hyenaExpertsReference(t, p, x, { T, dim, maxLength }, { ...c, K: 3 }),
      weights: hyenaWeightRange,
      seed,
    };
  };

  it('reference backward matches finite differences (x and every parameter)', () => {
    expectReferenceMatchesFiniteDifferences(expertsCase(2, 3, 4, 5, { dimInner: 2, experts: 3, active: 2, order: 2 }, 3), { maxAbsDiff: 1e-6 });
  });

  // Tolerance as for hyena. Random router scores are far from ties, so the top-2 selection is the
  // same in f32 and f64.
  it('GPU forward and backward (dx and every parameter) match the f64 reference', async () => {
    await expectLayerMatchesReference(expertsCase(2, 5, 8, 8, { dimInner: 4, experts: 4, active: 2, order: 4 }, 31), { atolOfMax: 1e-4, rtol: 1e-3 });
  });
});
