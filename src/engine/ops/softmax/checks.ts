// GPU-versus-reference checks of softmax (Vitest and selftest): rows of 1, 7, 128, 130 and
// 1,000 (several rows per workgroup up to several elements per lane), 1 to 300 rows, and
// logits with a large offset and spread (stability: exp would overflow without the max).

import type { KernelCheck } from '../kernelCheck.ts';
import { runOp } from '../../testing/opHarness.ts';
import { asF32, randomArray } from '../../testing/random.ts';
import { softmax } from './softmax.ts';
import { softmaxBackwardReference, softmaxForwardReference } from './reference.ts';

interface Case {
  rows: number;
  d: number;
  lo?: number;
  hi?: number;
}

const CASES: Case[] = [
  { rows: 1, d: 1 },
  { rows: 5, d: 7 },
  { rows: 300, d: 7 },
  { rows: 5, d: 128 },
  { rows: 300, d: 130 },
  { rows: 3, d: 1000, lo: -8, hi: 8 },
  { rows: 5, d: 130, lo: 80, hi: 120 },
];

export const softmaxChecks: KernelCheck[] = CASES.map(({ rows, d, lo = -4, hi = 4 }, index) => ({
  name: `softmax [${rows}×${d}] x ∈ [${lo}, ${hi})`,
  // y ∈ (0, 1]: each y carries f32 exp's error (a few ulp, relative) plus the row sum's; 1e-6
  // absolute covers it while staying far below the smallest interesting probabilities' scale
  // (1/D); a wrong max or sum is off by orders of magnitude more.
  tolerance: { atol: 1e-6, rtol: 1e-5 },
  async run() {
    const x = asF32(randomArray(rows * d, 500 + index, lo, hi));
    const dy = asF32(randomArray(rows * d, 600 + index));
    const { output, grads } = await runOp([{ shape: [rows, d], data: x.f32 }], (g, [t]) => softmax(g, t!), dy.f32);
    return [
      { what: 'forward', actual: output, expected: softmaxForwardReference(x.f64, d) },
      { what: 'backward dx', actual: grads[0]!, expected: softmaxBackwardReference(x.f64, dy.f64, d) },
    ];
  },
}));
