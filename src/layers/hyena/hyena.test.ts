import { describe, expect, it } from 'vitest';
import { countLayerParameters } from '../counting.ts';
import { resolveLayerConfig } from '../registry.ts';
import { expectLayerMatchesReference, expectReferenceMatchesFiniteDifferences, type LayerCase } from '../testing/layerHarness.ts';
import { hyenaLayer } from './hyena.ts';
import { filterDecay, positionalFeatures } from './hyenaFilter.ts';
import { hyenaReference, hyenaWeightRange } from './reference.ts';

describe('hyena layer', () => {
  it('parameters at d=128, max_length=128 match docs/protocol.md §4.3 (123,964 + 3·128)', () => {
    expect(countLayerParameters(hyenaLayer, resolveLayerConfig('hyena'), 128, 128)).toBe(123_964 + 3 * 128);
  });

  it('positional features and decay follow docs/protocol.md §4.3', () => {
    const z = positionalFeatures(4);
    expect(Array.from(z.slice(3, 6))).toEqual(Array.from(Float32Array.from([1 / 3, Math.cos(1e-4 * (Math.PI / 2)), -Math.sin(1e-4 * (Math.PI / 2))])));
    const d = filterDecay(2, 2, 3); // t = [0, 1]; |δ| from 3.070 to 15.351
    expect(d[0]).toBe(1);
    expect(d[3]).toBeCloseTo(Math.exp(Math.log(1e-2) / 1.5), 12);
    expect(d[5]).toBeCloseTo(Math.exp(Math.log(1e-2) / 0.3), 12);
  });

  it('validate names the offending key', () => {
    expect(() => resolveLayerConfig('hyena', { orderr: 2 })).toThrow(/hyena: unknown config key 'orderr'/);
    expect(() => resolveLayerConfig('hyena', { order: 3 })).toThrow(/hyena: 'order'/);
    expect(() => resolveLayerConfig('hyena', { proj_groups: 5 })).toThrow(/hyena: 'proj_groups'/);
    expect(() => resolveLayerConfig('hyena', { dropout: 0.1 })).toThrow(/hyena: 'dropout'/);
    expect(() => resolveLayerConfig('hyena', { long_conv_cfg: { bias: true, filter_cls: 'explicit', filter_cfg: { order: 4 } } })).toThrow(
      /hyena: long_conv_cfg: 'filter_cls'/,
    );
  });

  const hyenaCase = (B: number, T: number, dim: number, maxLength: number, innerFactor: number, order: number, seed: number): LayerCase => {
    const config = resolveLayerConfig('hyena', { dim, inner_factor: innerFactor, long_conv_cfg: { bias: true, filter_cls: 'implicit', filter_cfg: { order } } });
    return {
      name: `hyena B=${B} T=${T} d=${dim} inner ${dim * innerFactor} order ${order}`,
      shape: { B, T, dim, maxLength },
      build: (ctx, x) => hyenaLayer.build(ctx, x, config),
      reference: (t, p, x) => hyenaReference(t, p, x, { T, dim, maxLength }, { inner: dim * innerFactor, groups: 4, K: 3, order }),
      weights: hyenaWeightRange,
      seed,
    };
  };

  it('reference backward matches finite differences (x and every parameter)', () => {
    expectReferenceMatchesFiniteDifferences(hyenaCase(2, 4, 4, 5, 1, 2, 3), { maxAbsDiff: 1e-6 });
  });

  // f32 GPU vs f64: dot products of ≤ 16 terms, FFTs of ≤ 16 points and products of O(1)
  // activations; errors stay ≲ 1e-6 relative (measured ≤ 1e-6·max|ref|).
  it('GPU forward and backward (dx and every parameter) match the f64 reference', async () => {
    await expectLayerMatchesReference(hyenaCase(2, 7, 8, 9, 2, 4, 11), { atolOfMax: 1e-4, rtol: 1e-3 });
  });
});
