// GPU-versus-reference checks of channelWrap: tiling (n > cin, wrapping several times, n not a
// multiple of cin) and plain slices. Copies and short sums of f32 values: exact up to rounding.

import type { KernelCheck } from '../kernelCheck.ts';
import { runOp } from '../../testing/opHarness.ts';
import { asF32, randomArray } from '../../testing/random.ts';
import { channelWrap } from './channelWrap.ts';
import { channelWrapBackwardReference, channelWrapForwardReference } from './reference.ts';

const CASES = [
  { rows: 7, cin: 3, offset: 0, n: 12 },
  { rows: 5, cin: 5, offset: 2, n: 11 },
  { rows: 3, cin: 12, offset: 4, n: 4 },
];

export const channelWrapChecks: KernelCheck[] = CASES.map(({ rows, cin, offset, n }) => ({
  name: `channelWrap rows=${rows} cin=${cin} offset=${offset} n=${n}`,
  tolerance: { atol: 1e-6, rtol: 1e-6 },
  async run() {
    const x = asF32(randomArray(rows * cin, 5 + n));
    const dy = asF32(randomArray(rows * n, 6 + n));
    const { output, grads } = await runOp([{ shape: [rows, cin], data: x.f32 }], (g, [t]) => channelWrap(g, t!, offset, n), dy.f32);
    return [
      { what: 'forward', actual: output, expected: channelWrapForwardReference(x.f64, cin, offset, n) },
      { what: 'backward dx', actual: grads[0]!, expected: channelWrapBackwardReference(dy.f64, cin, offset, n) },
    ];
  },
}));
