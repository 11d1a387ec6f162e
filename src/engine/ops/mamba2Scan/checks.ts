// GPU-versus-reference checks of the chunked Mamba-2 scan against the SEQUENTIAL recurrence
// (reference.ts), forward and every gradient, at T = 1, 7, 33, 100, 1000 (non-powers of two),
// chunk sizes that do and do not divide T (1, 3, 8, 16), state sizes 3, 4 and 8, head
// dimensions that fill (32) and leave part-empty (3, 5) the backward's workgroup, one and two
// B/C groups. Tolerance 1e-5 + 1e-5·|ref|: f32 recurrences over ≤ 1000 steps with a ∈ (e^−16, 1)
// and O(1) inputs, associated differently from the reference (chunks); dΔ sums P·N terms per
// step, dA_log and dD up to B·T·P·N. Observed on SwiftShader: ≤ 5.3e-7 up to T = 33; ≤ 2.4e-6 at
// P = 32, N = 8, T = 100 (dD, dΔ); ≤ 1.8e-6 at T = 1000 — at least a 4× margin everywhere.

import type { KernelCheck } from '../kernelCheck.ts';
import { runOp } from '../../testing/opHarness.ts';
import { asF32, randomArray } from '../../testing/random.ts';
import { mamba2Columns, mamba2ScanBackwardReference, mamba2ScanForwardReference, type Mamba2Shape } from './reference.ts';
import { mamba2Scan } from './mamba2Scan.ts';

export interface Mamba2Case extends Mamba2Shape {
  chunk: number;
  /** Range of Δ (default [0.01, 1]). */
  delta?: [number, number];
}

export const MAMBA2_CASES: Mamba2Case[] = [
  { B: 2, T: 1, H: 2, P: 3, N: 4, G: 1, chunk: 4 },
  { B: 1, T: 7, H: 2, P: 5, N: 4, G: 2, chunk: 3 },
  { B: 1, T: 7, H: 1, P: 4, N: 3, G: 1, chunk: 1 },
  { B: 2, T: 33, H: 4, P: 3, N: 4, G: 2, chunk: 8 },
  { B: 1, T: 100, H: 2, P: 32, N: 8, G: 1, chunk: 16 },
  // MAD's longest T (63 chunks), Δ in the range of the dt init: a_t ≈ 1, so states keep (and f32
  // errors could accumulate over) hundreds of steps.
  { B: 1, T: 1000, H: 2, P: 4, N: 4, G: 1, chunk: 16, delta: [0.001, 0.1] },
];

export function mamba2CaseData(s: Mamba2Case, seed: number) {
  const { S } = mamba2Columns(s);
  const xbc = asF32(randomArray(s.B * s.T * S, seed));
  const delta = asF32(randomArray(s.B * s.T * s.H, seed + 1, ...(s.delta ?? [0.01, 1])));
  const aLog = asF32(randomArray(s.H, seed + 2, 0, Math.log(16))); // A ∈ [1, 16] as the init draws it
  const d = asF32(randomArray(s.H, seed + 3));
  const dy = asF32(randomArray(s.B * s.T * s.H * s.P, seed + 4));
  return { xbc, delta, aLog, d, dy };
}

export const mamba2ScanChecks: KernelCheck[] = MAMBA2_CASES.map((s, k) => ({
  name: `mamba2Scan B=${s.B} T=${s.T} H=${s.H} P=${s.P} N=${s.N} G=${s.G} chunk=${s.chunk}${s.delta ? ` Δ∈[${s.delta.join(', ')}]` : ''}`,
  tolerance: { atol: 1e-5, rtol: 1e-5 },
  async run() {
    const { xbc, delta, aLog, d, dy } = mamba2CaseData(s, 300 + 10 * k);
    const { S } = mamba2Columns(s);
    const { output, grads } = await runOp(
      [
        { shape: [s.B, s.T, S], data: xbc.f32 },
        { shape: [s.B, s.T, s.H], data: delta.f32 },
        { shape: [s.H], data: aLog.f32, param: true },
        { shape: [s.H], data: d.f32, param: true },
      ],
      (g, [xt, dt, at, ddt]) => mamba2Scan(g, { xbc: xt!, delta: dt!, aLog: at!, d: ddt! }, { headdim: s.P, state: s.N, groups: s.G }, { chunk: s.chunk }),
      dy.f32,
    );
    const arrays = { xbc: xbc.f64, delta: delta.f64, aLog: aLog.f64, d: d.f64 };
    const ref = mamba2ScanBackwardReference(s, arrays, dy.f64);
    return [
      { what: 'forward (vs sequential recurrence)', actual: output, expected: mamba2ScanForwardReference(s, arrays) },
      { what: 'backward dx, dB, dC (xbc columns)', actual: grads[0]!, expected: ref.dXbc },
      { what: 'backward dΔ', actual: grads[1]!, expected: ref.dDelta },
      { what: 'backward dA_log', actual: grads[2]!, expected: ref.dALog },
      { what: 'backward dD', actual: grads[3]!, expected: ref.dD },
    ];
  },
}));
