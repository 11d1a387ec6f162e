// GPU-versus-reference checks of the chunked delta rule against the per-token recurrence
// (reference.ts), forward and every gradient, ungated (DeltaNet) and gated (Gated DeltaNet), both
// kernel variants ('elements' for GPUs, 'rows' for CPU adapters) on the same cases: T = 1,
// 7, 9, 33, 100 (chunks that do and do not divide T: 1, 3, 4, 8, 16, 32), heads of 3×5, 4×4, 8×2,
// the full 16×16 tile of the layers and the 256-float state at its longest rows (dk 128) and
// columns (dv 128). q and k are unit rows (as the layers feed them), β ∈ (0, 1),
// log α ∈ (−0.5, 0). Tolerance 1e-5 + 1e-5·|ref|: f32 recurrences whose state stays O(1)
// (the update is a contraction along k), associated as the reference is, step by step.

import type { KernelCheck } from '../kernelCheck.ts';
import { runOp } from '../../testing/opHarness.ts';
import { asF32, randomArray } from '../../testing/random.ts';
import { DELTA_RULE_VARIANTS, deltaRule } from './deltaRule.ts';
import { deltaRuleBackwardReference, deltaRuleForwardReference, type DeltaRuleDims } from './reference.ts';

export interface DeltaRuleCase extends DeltaRuleDims {
  gated: boolean;
  chunk: number;
  scale: number;
}

export const DELTA_RULE_CASES: DeltaRuleCase[] = [
  { B: 2, T: 1, H: 1, dk: 4, dv: 4, gated: false, chunk: 4, scale: 0.5 },
  { B: 1, T: 7, H: 2, dk: 3, dv: 5, gated: false, chunk: 3, scale: 1 },
  { B: 1, T: 7, H: 1, dk: 5, dv: 3, gated: true, chunk: 1, scale: 1 },
  { B: 2, T: 33, H: 2, dk: 4, dv: 4, gated: true, chunk: 8, scale: 0.5 },
  { B: 1, T: 20, H: 1, dk: 16, dv: 16, gated: false, chunk: 16, scale: 0.25 },
  { B: 1, T: 20, H: 2, dk: 16, dv: 16, gated: true, chunk: 16, scale: 0.25 },
  { B: 1, T: 100, H: 3, dk: 8, dv: 2, gated: true, chunk: 32, scale: 1 },
  { B: 1, T: 9, H: 2, dk: 128, dv: 2, gated: true, chunk: 4, scale: 0.125 },
  { B: 1, T: 9, H: 2, dk: 2, dv: 128, gated: false, chunk: 4, scale: 1 },
];

/** Rows of `width` values scaled to unit length. */
function unitRows(x: Float64Array, width: number): Float64Array {
  for (let r = 0; r < x.length / width; r++) {
    let n = 0;
    for (let j = 0; j < width; j++) n += x[r * width + j]! ** 2;
    for (let j = 0; j < width; j++) x[r * width + j]! /= Math.sqrt(n);
  }
  return x;
}

export function deltaRuleCaseData(s: DeltaRuleCase, seed: number) {
  const rows = s.B * s.T * s.H;
  return {
    q: asF32(unitRows(randomArray(rows * s.dk, seed), s.dk)),
    k: asF32(unitRows(randomArray(rows * s.dk, seed + 1), s.dk)),
    v: asF32(randomArray(rows * s.dv, seed + 2)),
    beta: asF32(randomArray(rows, seed + 3, 0.05, 0.95)),
    logAlpha: asF32(randomArray(rows, seed + 4, -0.5, 0)),
    dout: asF32(randomArray(rows * s.dv, seed + 5)),
  };
}

export const deltaRuleChecks: KernelCheck[] = DELTA_RULE_VARIANTS.flatMap((variant) =>
  DELTA_RULE_CASES.map((s, n): KernelCheck => ({
    name: `deltaRule (${variant}) ${s.gated ? 'gated' : 'ungated'} B=${s.B} T=${s.T} H=${s.H} dk=${s.dk} dv=${s.dv} chunk=${s.chunk}`,
    tolerance: { atol: 1e-5, rtol: 1e-5 },
    async run() {
      const d = deltaRuleCaseData(s, 300 + 10 * n);
      const rows = [s.B, s.T, s.H];
      const { output, grads } = await runOp(
        [
          { shape: [...rows, s.dk], data: d.q.f32 },
          { shape: [...rows, s.dk], data: d.k.f32 },
          { shape: [...rows, s.dv], data: d.v.f32 },
          { shape: rows, data: d.beta.f32 },
          { shape: rows, data: d.logAlpha.f32, grad: s.gated },
        ],
        (g, [q, k, v, beta, logAlpha]) =>
          deltaRule(g, { q: q!, k: k!, v: v!, beta: beta!, logAlpha: s.gated ? logAlpha! : undefined }, { scale: s.scale, chunk: s.chunk, variant }),
        d.dout.f32,
      );
      const arrays = { q: d.q.f64, k: d.k.f64, v: d.v.f64, beta: d.beta.f64, logAlpha: s.gated ? d.logAlpha.f64 : null };
      const ref = deltaRuleBackwardReference(s, arrays, d.dout.f64, s.scale);
      return [
        { what: 'forward (vs per-token recurrence)', actual: output, expected: deltaRuleForwardReference(s, arrays, s.scale) },
        { what: 'backward dq', actual: grads[0]!, expected: ref.dq },
        { what: 'backward dk', actual: grads[1]!, expected: ref.dk },
        { what: 'backward dv', actual: grads[2]!, expected: ref.dv },
        { what: 'backward dβ', actual: grads[3]!, expected: ref.dBeta },
        ...(s.gated ? [{ what: 'backward d log α', actual: grads[4]!, expected: ref.dLogAlpha }] : []),
      ];
    },
  })),
);
