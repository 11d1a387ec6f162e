// GPU (chunked kernels) versus the CPU f64 SEQUENTIAL recurrence, forward and every gradient
// (q, k, v, log decay, bonus u), at T = 1, 7, 33, 70 (inside one chunk, one partial chunk, a
// chunk boundary plus one step, several chunks with a ragged tail) and assorted head counts and
// head dims, for each mode, on both kernel variants ('chunks' for GPUs, 'rows' for CPU adapters).
// Tolerance 2e-4 + 2e-4·|ref|: f32 sums of ≤ 70 steps × ≤ 16 channels of
// O(1) terms, with exp() of f32 cumulative log decays (rel. error ~1e-6 per factor); observed
// differences are ~1e-6, so 2e-4 leaves room for other adapters' exp/accumulation order.

import type { KernelCheck } from '../kernelCheck.ts';
import { runOp } from '../../testing/opHarness.ts';
import { asF32, randomArray } from '../../testing/random.ts';
import { chunkedRecurrence, RECURRENCE_VARIANTS, type RecurrenceMode, type RecurrenceVariant } from './chunkedRecurrence.ts';
import { recurrenceBackwardReference, recurrenceForwardReference, type RecurrenceDims } from './reference.ts';

interface Case {
  mode: RecurrenceMode | 'linear';
  dims: RecurrenceDims;
  /** Log-decay range; strongly decaying values test that nothing under/overflows. */
  lw: [number, number];
}

const CASES: Case[] = [
  { mode: 'gla', dims: { B: 2, T: 1, H: 2, dk: 4, dv: 3 }, lw: [-1, -0.01] },
  { mode: 'gla', dims: { B: 1, T: 7, H: 3, dk: 5, dv: 6 }, lw: [-1, -0.01] },
  { mode: 'gla', dims: { B: 2, T: 33, H: 2, dk: 8, dv: 8 }, lw: [-0.6, -0.001] },
  { mode: 'gla', dims: { B: 1, T: 70, H: 1, dk: 16, dv: 12 }, lw: [-8, -0.001] },
  { mode: 'rwkv', dims: { B: 2, T: 1, H: 2, dk: 4, dv: 4 }, lw: [-1, -0.01] },
  { mode: 'rwkv', dims: { B: 1, T: 7, H: 2, dk: 3, dv: 5 }, lw: [-1, -0.01] },
  { mode: 'rwkv', dims: { B: 2, T: 33, H: 2, dk: 8, dv: 8 }, lw: [-0.6, -0.001] },
  { mode: 'rwkv', dims: { B: 1, T: 70, H: 3, dk: 16, dv: 16 }, lw: [-8, -0.001] },
  { mode: 'linear', dims: { B: 2, T: 33, H: 2, dk: 6, dv: 7 }, lw: [0, 0] },
];

/** dk > 16 selects larger workgroup arrays (MAXK = 32, 64): a fresh set of pipelines, which
 * costs ~20 s to compile on SwiftShader, so Vitest skips these and selftest (real GPUs) runs them. */
const WIDE_CASES: Case[] = [
  { mode: 'gla', dims: { B: 1, T: 21, H: 1, dk: 20, dv: 5 }, lw: [-1, -0.01] },
  { mode: 'rwkv', dims: { B: 1, T: 40, H: 1, dk: 64, dv: 64 }, lw: [-1, -0.01] },
];

export const chunkedRecurrenceChecks: KernelCheck[] = RECURRENCE_VARIANTS.flatMap((variant) => CASES.map((c, n) => recurrenceCheck(c, n, variant)));
export const chunkedRecurrenceWideChecks: KernelCheck[] = RECURRENCE_VARIANTS.flatMap((variant) => WIDE_CASES.map((c, n) => recurrenceCheck(c, 50 + n, variant)));

function recurrenceCheck({ mode, dims, lw: range }: Case, n: number, variant: RecurrenceVariant): KernelCheck {
  const { B, T, H, dk, dv } = dims;
  return {
    name: `chunked recurrence (${variant}) ${mode} B=${B} T=${T} H=${H} dk=${dk} dv=${dv}`,
    tolerance: { atol: 2e-4, rtol: 2e-4 },
    async run() {
      const seed = 100 * n;
      const nk = B * T * H * dk;
      const nv = B * T * H * dv;
      const q = asF32(randomArray(nk, seed + 1));
      const k = asF32(randomArray(nk, seed + 2));
      const v = asF32(randomArray(nv, seed + 3));
      const lw = asF32(randomArray(nk, seed + 4, range[0], range[1]));
      const u = asF32(randomArray(H * dk, seed + 5, -0.5, 0.5));
      const dout = asF32(randomArray(nv, seed + 6));
      const scale = mode === 'gla' ? 1 / Math.sqrt(dk) : 1;
      const refMode: RecurrenceMode = mode === 'rwkv' ? 'rwkv' : 'gla';
      const inputs = [
        { shape: [B, T, H, dk], data: q.f32 },
        { shape: [B, T, H, dk], data: k.f32 },
        { shape: [B, T, H, dv], data: v.f32 },
        ...(mode === 'linear' ? [] : [{ shape: [B, T, H, dk], data: lw.f32 }]),
        ...(mode === 'rwkv' ? [{ shape: [H, dk], data: u.f32 }] : []),
      ];
      const { output, grads } = await runOp(
        inputs,
        (g, xs) =>
          chunkedRecurrence(g, {
            mode: refMode,
            q: xs[0]!,
            k: xs[1]!,
            v: xs[2]!,
            logDecay: mode === 'linear' ? undefined : xs[3],
            u: mode === 'rwkv' ? xs[4] : undefined,
            scale,
            variant,
          }),
        dout.f32,
      );
      const x = { q: q.f64, k: k.f64, v: v.f64, lw: mode === 'linear' ? new Float64Array(nk) : lw.f64, u: u.f64 };
      const expected = recurrenceForwardReference(refMode, dims, x, scale);
      const r = recurrenceBackwardReference(refMode, dims, x, dout.f64, scale);
      return [
        { what: 'forward', actual: output, expected },
        { what: 'backward dq', actual: grads[0]!, expected: r.dq },
        { what: 'backward dk', actual: grads[1]!, expected: r.dk },
        { what: 'backward dv', actual: grads[2]!, expected: r.dv },
        ...(mode === 'linear' ? [] : [{ what: 'backward dlogDecay', actual: grads[3]!, expected: r.dlw }]),
        ...(mode === 'rwkv' ? [{ what: 'backward du', actual: grads[4]!, expected: r.du }] : []),
      ];
    },
  };
}
