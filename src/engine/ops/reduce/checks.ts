// GPU-versus-reference checks of sumLastAxis/meanLastAxis (Vitest and selftest): rows of 1, 7,
// 128 and 130 (several rows per workgroup, one per workgroup), 1 to 300 rows, a 3-D input, and
// a 9,000-long row that takes the two-stage reduction.

import type { KernelCheck } from '../kernelCheck.ts';
import { runOp } from '../../testing/opHarness.ts';
import { asF32, randomArray } from '../../testing/random.ts';
import { meanLastAxis, sumLastAxis } from './reduce.ts';
import { reduceLastAxisBackwardReference, reduceLastAxisForwardReference } from './reference.ts';

interface Case {
  shape: number[];
  mean: boolean;
}

const CASES: Case[] = [
  { shape: [1, 1], mean: false },
  { shape: [5, 7], mean: true },
  { shape: [300, 7], mean: false },
  { shape: [5, 128], mean: false },
  { shape: [300, 130], mean: true },
  { shape: [3, 5, 130], mean: false },
  { shape: [1, 128], mean: true },
  { shape: [2, 9000], mean: false },
];

const size = (s: readonly number[]): number => s.reduce((p, d) => p * d, 1);

export const reduceChecks: KernelCheck[] = CASES.map(({ shape, mean }, index) => ({
  name: `${mean ? 'meanLastAxis' : 'sumLastAxis'} [${shape.join('×')}]`,
  // f32 tree sums of D values in [−1, 1): error ≈ log₂D roundings of partial sums, far below
  // 1e-5 absolute (measured ≤ 3.2e-6 at D = 9,000); the backward is a copy, exact.
  tolerance: { atol: 1e-5, rtol: 1e-5 },
  async run() {
    const d = shape[shape.length - 1]!;
    const x = asF32(randomArray(size(shape), 200 + index));
    const dy = asF32(randomArray(size(shape) / d, 300 + index));
    const { output, grads } = await runOp(
      [{ shape, data: x.f32 }],
      (g, [t]) => (mean ? meanLastAxis(g, t!) : sumLastAxis(g, t!)),
      dy.f32,
    );
    return [
      { what: 'forward', actual: output, expected: reduceLastAxisForwardReference(x.f64, d, mean) },
      { what: 'backward dx', actual: grads[0]!, expected: reduceLastAxisBackwardReference(dy.f64, d, mean) },
    ];
  },
}));
