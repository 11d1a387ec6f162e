// GPU-versus-reference checks of the depthwise causal Conv1d (Vitest and selftest).
// Tolerance 1e-5 + 1e-5·|ref|: forward and dx are sums of ≤ K products of O(1) values in f32;
// dw/db add up to B·T = 300 products (blocked, then summed), whose f32 rounding stays ~1e-6.

import type { KernelCheck } from '../kernelCheck.ts';
import { runOp } from '../../testing/opHarness.ts';
import { asF32, randomArray } from '../../testing/random.ts';
import { causalConv1d } from './causalConv.ts';
import { causalConvBackwardReference, causalConvForwardReference, type ConvShape } from './reference.ts';

const CASES: (ConvShape & { bias: boolean })[] = [
  { B: 2, T: 7, C: 5, K: 4, bias: true },
  { B: 3, T: 13, C: 6, K: 3, bias: true },
  { B: 1, T: 2, C: 3, K: 4, bias: false }, // T < K − 1: every output sees the zero padding
  { B: 2, T: 150, C: 3, K: 4, bias: true }, // 300 rows: two partial blocks of the dw/db reduction
];

export const causalConvChecks: KernelCheck[] = CASES.map((s, k) => ({
  name: `causalConv1d B=${s.B} T=${s.T} C=${s.C} K=${s.K}${s.bias ? '' : ' no bias'}`,
  tolerance: { atol: 1e-5, rtol: 1e-5 },
  async run() {
    const x = asF32(randomArray(s.B * s.T * s.C, 10 + k));
    const w = asF32(randomArray(s.C * s.K, 20 + k));
    const b = asF32(randomArray(s.C, 30 + k));
    const dy = asF32(randomArray(s.B * s.T * s.C, 40 + k));
    const inputs = [
      { shape: [s.B, s.T, s.C], data: x.f32 },
      { shape: [s.C, s.K], data: w.f32, param: true },
      ...(s.bias ? [{ shape: [s.C], data: b.f32, param: true }] : []),
    ];
    const { output, grads } = await runOp(inputs, (g, [xt, wt, bt]) => causalConv1d(g, xt!, wt!, bt), dy.f32);
    const ref = causalConvBackwardReference(s, x.f64, w.f64, dy.f64);
    return [
      { what: 'forward', actual: output, expected: causalConvForwardReference(s, x.f64, w.f64, s.bias ? b.f64 : null) },
      { what: 'backward dx', actual: grads[0]!, expected: ref.dx },
      { what: 'backward dw', actual: grads[1]!, expected: ref.dw },
      ...(s.bias ? [{ what: 'backward db', actual: grads[2]!, expected: ref.db }] : []),
    ];
  },
}));
