// GPU-versus-reference checks of the chunked selective scan against the SEQUENTIAL recurrence
// (reference.ts), forward and every gradient, at T = 1, 7, 33, 100, 1000 (non-powers of two), chunk
// sizes that do and do not divide T (1, 3, 8, 16, 32), state sizes 4 and 3, B/C read at column
// offsets of a wider tensor, and a channel count that leaves the last backward block part-empty.
// Tolerance 1e-5 + 1e-5·|ref|: f32 recurrences over ≤ 1000 steps with a ∈ (e^−4, 1) and O(1)
// inputs, associated differently from the reference (chunks); dA_log and dD add up to
// B·T ≤ 1000 terms. Observed on SwiftShader: ≤ 8e-7 up to T = 100; at T = 1000 ≤ 4e-6, where
// |dΔ| ≤ 4.4, |dA_log| ≤ 0.66, |dD| ≤ 18 — at least an 8× margin everywhere.

import type { KernelCheck } from '../kernelCheck.ts';
import { runOp } from '../../testing/opHarness.ts';
import { asF32, randomArray } from '../../testing/random.ts';
import { selectiveScanBackwardReference, selectiveScanForwardReference, type ScanShape } from './reference.ts';
import { selectiveScan, SCAN_DEFAULT_CHUNK } from './selectiveScan.ts';
import { MAD_KERNEL_SHAPE, MAD_SHAPE_TAG } from '../madShape.ts';

export interface ScanCase extends ScanShape {
  chunk: number;
  workgroup?: number;
  /** Range of Δ (default [0.01, 1]). */
  delta?: [number, number];
}

export const SCAN_CASES: ScanCase[] = [
  { B: 2, T: 1, C: 5, N: 4, S: 8, bOff: 0, cOff: 4, chunk: 4 },
  { B: 1, T: 7, C: 6, N: 4, S: 8, bOff: 0, cOff: 4, chunk: 3 },
  { B: 1, T: 7, C: 3, N: 4, S: 8, bOff: 0, cOff: 4, chunk: 1 },
  { B: 2, T: 33, C: 10, N: 4, S: 8, bOff: 0, cOff: 4, chunk: 8, workgroup: 8 },
  { B: 1, T: 33, C: 4, N: 4, S: 8, bOff: 0, cOff: 4, chunk: 32 },
  { B: 2, T: 100, C: 4, N: 3, S: 11, bOff: 3, cOff: 7, chunk: 16 },
  // MAD's longest T (63 chunks), Δ in the range of Mamba's dt init: a_t ≈ 1, so states keep
  // (and f32 errors could accumulate over) hundreds of steps.
  { B: 1, T: 1000, C: 3, N: 4, S: 8, bOff: 0, cOff: 4, chunk: 16, delta: [0.001, 0.1] },
];

export function scanCaseData(s: ScanCase, seed: number) {
  const x = asF32(randomArray(s.B * s.T * s.C, seed));
  const delta = asF32(randomArray(s.B * s.T * s.C, seed + 1, ...(s.delta ?? [0.01, 1])));
  const bc = asF32(randomArray(s.B * s.T * s.S, seed + 2));
  const noise = randomArray(s.C * s.N, seed + 3, -0.3, 0.3);
  const aLog = asF32(noise.map((v, i) => Math.log((i % s.N) + 1) + v));
  const d = asF32(randomArray(s.C, seed + 4));
  const dy = asF32(randomArray(s.B * s.T * s.C, seed + 5));
  return { x, delta, bc, aLog, d, dy };
}

function scanCheck(s: ScanCase, k: number): KernelCheck {
  return {
    name: `selectiveScan B=${s.B} T=${s.T} Dc=${s.C} N=${s.N} chunk=${s.chunk}${s.workgroup ? ` wg=${s.workgroup}` : ''}${s.delta ? ` Δ∈[${s.delta.join(', ')}]` : ''}`,
    tolerance: { atol: 1e-5, rtol: 1e-5 },
    async run() {
      const { x, delta, bc, aLog, d, dy } = scanCaseData(s, 100 + 10 * k);
      const { output, grads } = await runOp(
        [
          { shape: [s.B, s.T, s.C], data: x.f32 },
          { shape: [s.B, s.T, s.C], data: delta.f32 },
          { shape: [s.B, s.T, s.S], data: bc.f32 },
          { shape: [s.C, s.N], data: aLog.f32, param: true },
          { shape: [s.C], data: d.f32, param: true },
        ],
        (g, [xt, dt, bct, at, ddt]) =>
          selectiveScan(g, { x: xt!, delta: dt!, bc: bct!, bOffset: s.bOff, cOffset: s.cOff, aLog: at!, d: ddt! }, { chunk: s.chunk, workgroup: s.workgroup }),
        dy.f32,
      );
      const arrays = { x: x.f64, delta: delta.f64, bc: bc.f64, aLog: aLog.f64, d: d.f64 };
      const ref = selectiveScanBackwardReference(s, arrays, dy.f64);
      // Columns of bc outside B and C get no gradient from the scan.
      return [
        { what: 'forward (vs sequential recurrence)', actual: output, expected: selectiveScanForwardReference(s, arrays) },
        { what: 'backward dx', actual: grads[0]!, expected: ref.dx },
        { what: 'backward dΔ', actual: grads[1]!, expected: ref.dDelta },
        { what: 'backward dB, dC (bc columns)', actual: grads[2]!, expected: ref.dBc },
        { what: 'backward dA_log', actual: grads[3]!, expected: ref.dALog },
        { what: 'backward dD', actual: grads[4]!, expected: ref.dD },
      ];
    },
  };
}

export const selectiveScanChecks: KernelCheck[] = SCAN_CASES.map(scanCheck);

/**
 * Mamba's scan at MAD's shape (configs/layers/mamba.yml: 256 inner channels, state 4, dt_rank 8,
 * so B and C sit at columns 8 and 12 of a 16-wide x_proj output), with the layer's default chunk:
 * 8 full chunks per sequence and full backward workgroups of 64 channels. Δ in Mamba's dt range.
 * dA_log and dD sum B·T = 4,096 terms (the T = 1000 case's 1,000 ×4): rtol covers their growth.
 */
export const selectiveScanMadShapeCheck: KernelCheck = (() => {
  const { batch, seqLen, dim } = MAD_KERNEL_SHAPE;
  const s: ScanCase = { B: batch, T: seqLen, C: 2 * dim, N: 4, S: 16, bOff: 8, cOff: 12, chunk: SCAN_DEFAULT_CHUNK, delta: [0.001, 0.1] };
  const check = scanCheck(s, SCAN_CASES.length);
  return { ...check, name: `${check.name} ${MAD_SHAPE_TAG}` };
})();
