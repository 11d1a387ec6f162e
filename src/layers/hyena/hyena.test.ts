import { describe, expect, it } from 'vitest';
import { asF32, randomArray } from '../../engine/testing/random.ts';
import { countLayerParameters } from '../counting.ts';
import { resolveLayerConfig } from '../registry.ts';
import { hyenaLayer } from './hyena.ts';
import { filterDecay, positionalFeatures } from './hyenaFilter.ts';
import { hyenaRef, type RefShape } from './reference.ts';
import { expectLayerMatchesRef, gradcheckLayerRef, traceParams } from './testUtil.ts';

describe('hyena layer', () => {
  it('parameters at d=128, max_length=128 match spec §4.3 (123,964 + 3·128)', () => {
    expect(countLayerParameters(hyenaLayer, resolveLayerConfig('hyena'), 128, 128)).toBe(123_964 + 3 * 128);
  });

  it('positional features and decay follow spec §4.3', () => {
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

  const tiny = (overrides: Record<string, unknown>) => resolveLayerConfig('hyena', overrides);

  it('reference backward matches finite differences (x and every parameter)', () => {
    const s: RefShape = { B: 2, T: 4, dim: 4, maxLength: 5 };
    const config = tiny({ dim: 4, inner_factor: 1, long_conv_cfg: { bias: true, filter_cls: 'implicit', filter_cfg: { order: 2 } } });
    const params = traceParams(hyenaLayer, config, s, 3);
    const ref = (tp: Parameters<typeof hyenaRef>[0], p: Parameters<typeof hyenaRef>[1], x: Parameters<typeof hyenaRef>[2]) =>
      hyenaRef(tp, p, x, s, { inner: 4, groups: 4, K: 3, order: 2 });
    const x = asF32(randomArray(s.B * s.T * s.dim, 4)).f64;
    const dy = randomArray(s.B * s.T * s.dim, 5);
    expect(gradcheckLayerRef(ref, params, x, dy)).toBeLessThan(1e-6);
  });

  // f32 GPU vs f64: dot products of ≤ 16 terms, FFTs of ≤ 16 points and products of O(1)
  // activations; errors stay ≲ 1e-6 relative (measured ≤ 1e-6·max|ref|), so atol 1e-4·max|ref|
  // (per compared tensor, see testUtil.expectClose) + rtol 1e-3.
  it('GPU forward and backward (dx and every parameter) match the f64 reference', async () => {
    const s: RefShape = { B: 2, T: 7, dim: 8, maxLength: 9 };
    const config = tiny({ dim: 8, inner_factor: 2 });
    await expectLayerMatchesRef(hyenaLayer, config, s, (tp, p, x) => hyenaRef(tp, p, x, s, { inner: 16, groups: 4, K: 3, order: 4 }), 11, {
      atol: 1e-4,
      rtol: 1e-3,
    });
  });
});
