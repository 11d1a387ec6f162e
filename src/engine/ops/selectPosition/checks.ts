// GPU-versus-reference checks of selectPosition (Vitest and selftest): the last position (the
// AutoEncoder's pooling) and an interior one, at shapes that are not multiples of the workgroup
// size, with a grid over several workgroups; and x feeding two selections at once (the backward
// kernel must accumulate into dx, not overwrite it).

import type { KernelCheck } from '../kernelCheck.ts';
import { add } from '../binary/binary.ts';
import { runOp } from '../../testing/opHarness.ts';
import { asF32, randomArray } from '../../testing/random.ts';
import { selectPosition } from './selectPosition.ts';
import { selectPositionBackwardReference, selectPositionForwardReference } from './reference.ts';

type Shape = [number, number, number];

const CASES: { shape: Shape; position: number }[] = [
  { shape: [2, 6, 8], position: -1 },
  { shape: [3, 7, 5], position: 2 },
  { shape: [5, 1, 13], position: 0 },
  { shape: [9, 11, 130], position: -1 }, // 1,170 outputs: 5 workgroups, the last one partial
];

// Forward is a copy and backward one f32 addition into a zeroed buffer: both exact.
const EXACT = { atol: 0, rtol: 0 };
// Two selections of the same x: the forward sum of two f32 values rounds once (≤ 6e-8 for |x| < 1),
// and dx adds each dy into a zero, exact.
const SUMMED = { atol: 1e-7, rtol: 1e-7 };

export const selectPositionChecks: KernelCheck[] = [
  ...CASES.map(
    ({ shape, position }, index): KernelCheck => ({
      name: `selectPosition [${shape.join('×')}] p=${position}`,
      tolerance: EXACT,
      async run() {
        const p = position < 0 ? shape[1] + position : position;
        const x = asF32(randomArray(shape[0] * shape[1] * shape[2], 20 + index));
        const dy = asF32(randomArray(shape[0] * shape[2], 40 + index));
        const { output, grads } = await runOp([{ shape, data: x.f32 }], (g, [t]) => selectPosition(g, t!, position), dy.f32);
        return [
          { what: 'forward', actual: output, expected: selectPositionForwardReference(x.f64, shape, p) },
          { what: 'backward dx', actual: grads[0]!, expected: selectPositionBackwardReference(dy.f64, shape, p) },
        ];
      },
    }),
  ),
  {
    name: 'selectPosition x[:, −1] + x[:, 1] of one [3×4×6] x (accumulating backward)',
    tolerance: SUMMED,
    async run() {
      const shape: Shape = [3, 4, 6];
      const x = asF32(randomArray(72, 60));
      const dy = asF32(randomArray(18, 61));
      const { output, grads } = await runOp(
        [{ shape, data: x.f32 }],
        (g, [t]) => add(g, selectPosition(g, t!, -1), selectPosition(g, t!, 1)),
        dy.f32,
      );
      const last = selectPositionForwardReference(x.f64, shape, 3);
      const second = selectPositionForwardReference(x.f64, shape, 1);
      const dLast = selectPositionBackwardReference(dy.f64, shape, 3);
      const dSecond = selectPositionBackwardReference(dy.f64, shape, 1);
      return [
        { what: 'forward', actual: output, expected: last.map((v, i) => v + second[i]!) },
        { what: 'backward dx', actual: grads[0]!, expected: dLast.map((v, i) => v + dSecond[i]!) },
      ];
    },
  },
];
