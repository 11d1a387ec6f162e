// GPU-versus-reference checks of the token shift. It only moves values, so forward and backward
// must match exactly (tolerance 0).

import type { KernelCheck } from '../kernelCheck.ts';
import { runOp } from '../../testing/opHarness.ts';
import { asF32, randomArray } from '../../testing/random.ts';
import { tokenShiftBackwardReference, tokenShiftForwardReference } from './reference.ts';
import { tokenShift } from './tokenShift.ts';

const SHAPES: [number, number, number][] = [
  [2, 5, 3],
  [3, 17, 11],
  [1, 1, 4],
  [2, 40, 16],
];

export const tokenShiftChecks: KernelCheck[] = SHAPES.map(([b, t, d]) => ({
  name: `tokenShift ${b}×${t}×${d}`,
  tolerance: { atol: 0, rtol: 0 },
  async run() {
    const n = b * t * d;
    const x = asF32(randomArray(n, 11 + t));
    const dy = asF32(randomArray(n, 12 + t));
    const { output, grads } = await runOp([{ shape: [b, t, d], data: x.f32 }], (g, [xt]) => tokenShift(g, xt!), dy.f32);
    return [
      { what: 'forward', actual: output, expected: tokenShiftForwardReference(x.f64, b, t, d) },
      { what: 'backward dx', actual: grads[0]!, expected: tokenShiftBackwardReference(dy.f64, b, t, d) },
    ];
  },
}));
