import { describe, expect, it } from 'vitest';
import { gradcheck } from '../../engine/testing/gradcheck.ts';
import { runOp } from '../../engine/testing/opHarness.ts';
import { randomArray } from '../../engine/testing/random.ts';
import { countLayerParameters } from '../counting.ts';
import { resolveLayerConfig } from '../registry.ts';
import { swigluBackwardReference, swigluReference } from './reference.ts';
import { swigluForward, swigluInnerWidth, swigluLayer } from './swiglu.ts';
import { data, expectClose } from './testUtil.ts';

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

  it('reference backward matches finite differences (x and every weight)', () => {
    const [n, d, inner] = [3, 4, 5];
    const x = randomArray(n * d, 1);
    const p = { w1: randomArray(inner * d, 2), w2: randomArray(inner * d, 3), w3: randomArray(d * inner, 4) };
    const dy = randomArray(n * d, 5);
    const r = swigluBackwardReference(x, p, dy, n, d, inner);
    const f = (xs: Float64Array[]): Float64Array => swigluReference(xs[0]!, { w1: xs[1]!, w2: xs[2]!, w3: xs[3]! }, n, d, inner);
    const result = gradcheck(f, [x, p.w1, p.w2, p.w3], dy, [r.dx, r.dw1, r.dw2, r.dw3], [0, 1, 2, 3]);
    expect(result.maxAbsDiff).toBeLessThan(1e-8);
  });

  // f32 GPU vs f64: sums of ≤ 48 products of O(1) terms; atol 1e-6 + rtol 1e-4 (results are
  // O(0.1–1), observed errors ≲ 1e-7).
  for (const [b, t, d] of [
    [2, 7, 16],
    [1, 13, 8],
  ] as const) {
    it(`GPU forward and backward match the f64 reference (B=${b}, T=${t}, d=${d})`, async () => {
      const inner = swigluInnerWidth(d);
      const n = b * t;
      const x = data(n * d, 10 + d);
      const w1 = data(inner * d, 11, 1 / Math.sqrt(d));
      const w2 = data(inner * d, 12, 1 / Math.sqrt(d));
      const w3 = data(d * inner, 13, 1 / Math.sqrt(inner));
      const dy = data(n * d, 14);
      const { output, grads } = await runOp(
        [
          { shape: [b, t, d], data: x.f32 },
          { shape: [inner, d], data: w1.f32, param: true },
          { shape: [inner, d], data: w2.f32, param: true },
          { shape: [d, inner], data: w3.f32, param: true },
        ],
        (g, [xt, a, bb, c]) => swigluForward(g, xt!, a!, bb!, c!),
        dy.f32,
      );
      const p = { w1: w1.f64, w2: w2.f64, w3: w3.f64 };
      const ref = swigluBackwardReference(x.f64, p, dy.f64, n, d, inner);
      const [atol, rtol] = [1e-6, 1e-4];
      expectClose('forward', output, swigluReference(x.f64, p, n, d, inner), atol, rtol);
      expectClose('backward dx', grads[0]!, ref.dx, atol, rtol);
      expectClose('backward dW1', grads[1]!, ref.dw1, atol, rtol);
      expectClose('backward dW2', grads[2]!, ref.dw2, atol, rtol);
      expectClose('backward dW3', grads[3]!, ref.dw3, atol, rtol);
    });
  }
});
