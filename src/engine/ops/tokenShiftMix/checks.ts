// GPU-versus-reference checks of the fused token-shift mix, both RWKV forms, several T (not
// powers of two) and a row count above one dmix chunk (64 rows) with a ragged last chunk.
// Forward and dx are two products and a sum: a few ulps. dmix sums B·T ≤ 150 products of O(1)
// terms in f32: ≲ 1e-5 absolute; atol 1e-5 + rtol 1e-5.

import type { KernelCheck } from '../kernelCheck.ts';
import { runOp } from '../../testing/opHarness.ts';
import { asF32, randomArray } from '../../testing/random.ts';
import { tokenShiftMixBackwardReference, tokenShiftMixForwardReference } from './reference.ts';
import { add, mul, sub } from '../binary/binary.ts';
import { tokenShift } from '../tokenShift/tokenShift.ts';
import { tokenShiftMix, type TokenShiftMixMode } from './tokenShiftMix.ts';

const CASES: [TokenShiftMixMode, number, number, number][] = [
  ['rwkv5', 2, 7, 5],
  ['rwkv6', 2, 7, 5],
  ['rwkv5', 3, 50, 16],
  ['rwkv6', 1, 33, 12],
];

const fusedChecks: KernelCheck[] = CASES.map(([mode, b, t, d]) => ({
  name: `tokenShiftMix ${mode} ${b}×${t}×${d}`,
  tolerance: { atol: 1e-5, rtol: 1e-5 },
  async run() {
    const n = b * t * d;
    const x = asF32(randomArray(n, 41 + t));
    const mix = asF32(randomArray(d, 42 + d, 0, 1));
    const dy = asF32(randomArray(n, 43 + b));
    const { output, grads } = await runOp(
      [
        { shape: [b, t, d], data: x.f32 },
        { shape: [1, 1, d], data: mix.f32, param: true },
      ],
      (g, [xt, mt]) => tokenShiftMix(g, xt!, mt!, mode),
      dy.f32,
    );
    const shape = { b, t, d };
    const ref = tokenShiftMixBackwardReference(x.f64, mix.f64, dy.f64, shape, mode);
    return [
      { what: 'forward', actual: output, expected: tokenShiftMixForwardReference(x.f64, mix.f64, shape, mode) },
      { what: 'backward dx', actual: grads[0]!, expected: ref.dx },
      { what: 'backward dmix', actual: grads[1]!, expected: ref.dmix },
    ];
  },
}));

/**
 * The fused kernel against the composition mad-lab writes, on the GPU: tokenShift, then
 * RWKV5 x′ + (x − x′)·μ or RWKV6 x + (x′ − x)·m from broadcast binary ops (whose μ gradient goes
 * through the strided reduction). Same tolerance.
 */
const composedChecks: KernelCheck[] = (['rwkv5', 'rwkv6'] as const).map((mode) => ({
  name: `tokenShiftMix ${mode} 2×19×7 vs composed tokenShift + binary ops`,
  tolerance: { atol: 1e-5, rtol: 1e-5 },
  async run() {
    const [b, t, d] = [2, 19, 7];
    const inputs = [
      { shape: [b, t, d], data: asF32(randomArray(b * t * d, 61)).f32 },
      { shape: [1, 1, d], data: asF32(randomArray(d, 62, 0, 1)).f32, param: true },
    ];
    const dy = asF32(randomArray(b * t * d, 63)).f32;
    const fused = await runOp(inputs, (g, [x, m]) => tokenShiftMix(g, x!, m!, mode), dy);
    const composed = await runOp(
      inputs,
      (g, [x, m]) => {
        const xs = tokenShift(g, x!);
        return mode === 'rwkv5' ? add(g, xs, mul(g, sub(g, x!, xs), m!)) : add(g, x!, mul(g, sub(g, xs, x!), m!));
      },
      dy,
    );
    return [
      { what: 'forward vs composed', actual: fused.output, expected: composed.output },
      { what: 'backward dx vs composed', actual: fused.grads[0]!, expected: composed.grads[0]! },
      { what: 'backward dmix vs composed', actual: fused.grads[1]!, expected: composed.grads[1]! },
    ];
  },
}));

export const tokenShiftMixChecks: KernelCheck[] = [...fusedChecks, ...composedChecks];
