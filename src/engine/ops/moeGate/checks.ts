// GPU-versus-reference checks of the MoE gate. Softmax in f32 over ≤ 8 terms: outputs are in
// [0, 1], so errors are a few f32 ulps (≈ 1e-7); atol 1e-6 + rtol 1e-5 leaves room for exp's
// error on the GPU. One check uses integer scores so ties at the k-th value occur.

import type { KernelCheck } from '../kernelCheck.ts';
import { runOp } from '../../testing/opHarness.ts';
import { asF32, randomArray, randomInts } from '../../testing/random.ts';
import { moeGateBackwardReference, moeGateForwardReference } from './reference.ts';
import { moeGate } from './moeGate.ts';

interface Case {
  rows: number;
  e: number;
  k: number;
  ties?: boolean;
}

const CASES: Case[] = [
  { rows: 37, e: 8, k: 2 },
  { rows: 70, e: 5, k: 3 },
  { rows: 13, e: 8, k: 1 },
  { rows: 50, e: 8, k: 2, ties: true },
];

export const moeGateChecks: KernelCheck[] = CASES.map(({ rows, e, k, ties }) => ({
  name: `moeGate ${rows}×${e} k=${k}${ties ? ' ties' : ''}`,
  tolerance: { atol: 1e-6, rtol: 1e-5 },
  async run() {
    const n = rows * e;
    const raw = ties ? Float64Array.from(randomInts(n, 4, 21), (v) => v - 1.5) : randomArray(n, 20 + e, -3, 3);
    const s = asF32(raw);
    const dg = asF32(randomArray(n, 22 + k));
    const { output, grads } = await runOp([{ shape: [rows, e], data: s.f32 }], (g, [x]) => moeGate(g, x!, k), dg.f32);
    return [
      { what: 'forward', actual: output, expected: moeGateForwardReference(s.f64, e, k) },
      { what: 'backward dscores', actual: grads[0]!, expected: moeGateBackwardReference(s.f64, dg.f64, e, k) },
    ];
  },
}));
