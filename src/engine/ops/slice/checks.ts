// GPU-versus-reference checks of the last-axis slice (Vitest and selftest). A copy is exact,
// so the tolerance is 0; two slices of one tensor check that the backward accumulates.

import type { KernelCheck } from '../kernelCheck.ts';
import { runOp } from '../../testing/opHarness.ts';
import { asF32, randomArray } from '../../testing/random.ts';
import { add } from '../binary/binary.ts';
import { sliceBackwardReference, sliceForwardReference } from './reference.ts';
import { sliceLastAxis } from './slice.ts';

const CASES = [
  { shape: [3, 5, 16], start: 8, size: 4 },
  { shape: [7, 13], start: 0, size: 13 },
  { shape: [2, 33, 9], start: 2, size: 5 },
];

export const sliceChecks: KernelCheck[] = [
  ...CASES.map(({ shape, start, size }, k) => ({
    name: `sliceLastAxis [${shape.join('×')}] ${start}:${start + size}`,
    tolerance: { atol: 0, rtol: 0 },
    async run() {
      const n = shape.reduce((a, b) => a * b, 1);
      const W = shape[shape.length - 1]!;
      const x = asF32(randomArray(n, 50 + k));
      const dy = asF32(randomArray((n / W) * size, 60 + k));
      const { output, grads } = await runOp([{ shape, data: x.f32 }], (g, [t]) => sliceLastAxis(g, t!, start, size), dy.f32);
      return [
        { what: 'forward', actual: output, expected: sliceForwardReference(x.f64, W, start, size) },
        { what: 'backward dx', actual: grads[0]!, expected: sliceBackwardReference(dy.f64, W, start, size) },
      ];
    },
  })),
  {
    name: 'sliceLastAxis two overlapping slices summed (backward accumulates)',
    tolerance: { atol: 1e-6, rtol: 1e-6 },
    async run() {
      const W = 10;
      const x = asF32(randomArray(4 * W, 70));
      const dy = asF32(randomArray(4 * 6, 71));
      const { output, grads } = await runOp(
        [{ shape: [4, W], data: x.f32 }],
        (g, [t]) => add(g, sliceLastAxis(g, t!, 0, 6), sliceLastAxis(g, t!, 3, 6)),
        dy.f32,
      );
      const a = sliceForwardReference(x.f64, W, 0, 6);
      const b = sliceForwardReference(x.f64, W, 3, 6);
      const da = sliceBackwardReference(dy.f64, W, 0, 6);
      const db = sliceBackwardReference(dy.f64, W, 3, 6);
      return [
        { what: 'forward', actual: output, expected: a.map((v, i) => v + b[i]!) },
        { what: 'backward dx', actual: grads[0]!, expected: da.map((v, i) => v + db[i]!) },
      ];
    },
  },
];
