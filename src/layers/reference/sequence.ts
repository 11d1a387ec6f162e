// Mixing along time on the tape, each from its op's f64 reference: the depthwise causal conv,
// Hyena's long convolutions (single- and multi-head), the linear recurrence of GLA, linear
// attention and RWKV, Mamba's selective scan, softmax attention and linear attention's
// normaliser. The references are the naive forms (sequential recurrence and scan, direct
// convolution sums, explicit score matrix), so a layer test also checks the fast kernels.

import { attentionBackwardReference, attentionForwardReference, type AttentionShape } from '../../engine/ops/attention/reference.ts';
import { causalConvBackwardReference, causalConvForwardReference, type ConvShape } from '../../engine/ops/causalConv/reference.ts';
import type { RecurrenceMode } from '../../engine/ops/chunkedRecurrence/chunkedRecurrence.ts';
import { recurrenceBackwardReference, recurrenceForwardReference, type RecurrenceDims } from '../../engine/ops/chunkedRecurrence/reference.ts';
import { mhFftConvBackwardReference, mhFftConvForwardReference, type MhShape } from '../../engine/ops/fftConv/mhReference.ts';
import { fftConvBackwardReference, fftConvForwardReference, type FftConvShape } from '../../engine/ops/fftConv/reference.ts';
import { deltaRuleBackwardReference, deltaRuleForwardReference, type DeltaRuleDims } from '../../engine/ops/deltaRule/reference.ts';
import { linearAttentionNormBackwardReference, linearAttentionNormReference } from '../../engine/ops/linearAttentionNorm/reference.ts';
import { selectiveScanBackwardReference, selectiveScanForwardReference, type ScanShape } from '../../engine/ops/selectiveScan/reference.ts';
import { mamba2ScanBackwardReference, mamba2ScanForwardReference, type Mamba2Shape } from '../../engine/ops/mamba2Scan/reference.ts';
import type { Tape, Var } from './tape.ts';

/** Depthwise causal Conv1d of x [B, T, C] with w [C, K] and optional bias [C]. */
export function causalConv(t: Tape, s: ConvShape, x: Var, w: Var, bias: Var | null): Var {
  return t.op(causalConvForwardReference(s, x.value, w.value, bias?.value ?? null), [x, w, bias], (dy) => {
    const r = causalConvBackwardReference(s, x.value, w.value, dy);
    return [r.dx, r.dw, r.db];
  });
}

/** Hyena's long convolution y = (u ∗ k) + d ⊙ u with filter k [T, CF] (FftConvShape). */
export function fftConv(t: Tape, s: FftConvShape, u: Var, k: Var, d: Var): Var {
  return t.op(fftConvForwardReference(s, u.value, k.value, d.value), [u, k, d], (dy) => {
    const r = fftConvBackwardReference(s, u.value, k.value, d.value, dy);
    return [r.du, r.dk, r.dd];
  });
}

/** mh-hyena's multi-head long convolution of the three streams uc [B, T, 3I] (the direct sum). */
export function mhFftConv(t: Tape, s: MhShape, uc: Var, k: Var, d: Var): Var {
  return t.op(mhFftConvForwardReference(s, uc.value, k.value, d.value), [uc, k, d], (dy) => {
    const r = mhFftConvBackwardReference(s, uc.value, k.value, d.value, dy);
    return [r.duc, r.dk, r.dd];
  });
}

/** The sequential linear recurrence; lw null means no decay, u (the bonus) is RWKV's only. */
export function recurrence(t: Tape, mode: RecurrenceMode, dims: RecurrenceDims, q: Var, k: Var, v: Var, lw: Var | null, u: Var | null, scale = 1): Var {
  const inputs = { q: q.value, k: k.value, v: v.value, lw: lw?.value ?? new Float64Array(q.value.length), u: u?.value ?? new Float64Array(dims.H * dims.dk) };
  return t.op(recurrenceForwardReference(mode, dims, inputs, scale), [q, k, v, lw, u], (dy) => {
    const r = recurrenceBackwardReference(mode, dims, inputs, dy, scale);
    return [r.dq, r.dk, r.dv, r.dlw, r.du];
  });
}

/** Mamba's selective scan, one step at a time; B and C are columns of bc [B, T, S]. */
export function selectiveScan(t: Tape, s: ScanShape, x: Var, delta: Var, bc: Var, aLog: Var, d: Var): Var {
  const arrays = { x: x.value, delta: delta.value, bc: bc.value, aLog: aLog.value, d: d.value };
  return t.op(selectiveScanForwardReference(s, arrays), [x, delta, bc, aLog, d], (dy) => {
    const r = selectiveScanBackwardReference(s, arrays, dy);
    return [r.dx, r.dDelta, r.dBc, r.dALog, r.dD];
  });
}

/** Mamba-2's scan (Δ and A per head), one step at a time; x, B and C are columns of xbc. */
export function mamba2Scan(t: Tape, s: Mamba2Shape, xbc: Var, delta: Var, aLog: Var, d: Var): Var {
  const arrays = { xbc: xbc.value, delta: delta.value, aLog: aLog.value, d: d.value };
  return t.op(mamba2ScanForwardReference(s, arrays), [xbc, delta, aLog, d], (dy) => {
    const r = mamba2ScanBackwardReference(s, arrays, dy);
    return [r.dXbc, r.dDelta, r.dALog, r.dD];
  });
}

/** Causal softmax attention with rotary q and k: qkv [B, T, 3, H, d] → [B, T, H, d]. */
export function attention(t: Tape, s: AttentionShape, qkv: Var): Var {
  return t.op(attentionForwardReference(qkv.value, s).output, [qkv], (dy) => [attentionBackwardReference(qkv.value, dy, s)]);
}

/** y[r, j] = num[r, j] / (den[r] + eps) for rows of dv values. */
export function linearAttentionNorm(t: Tape, num: Var, den: Var, dv: number, eps: number): Var {
  return t.op(linearAttentionNormReference(num.value, den.value, dv, eps), [num, den], (dy) => {
    const r = linearAttentionNormBackwardReference(num.value, den.value, dy, dv, eps);
    return [r.dnum, r.dden];
  });
}

/** The (gated, when logAlpha is given) delta rule, one token at a time: q, k [B, T, H, dk], v [B, T, H, dv], beta, logAlpha [B, T, H]. */
export function deltaRule(t: Tape, dims: DeltaRuleDims, q: Var, k: Var, v: Var, beta: Var, logAlpha: Var | null, scale: number): Var {
  const arrays = { q: q.value, k: k.value, v: v.value, beta: beta.value, logAlpha: logAlpha?.value ?? null };
  return t.op(deltaRuleForwardReference(dims, arrays, scale), [q, k, v, beta, logAlpha], (dy) => {
    const r = deltaRuleBackwardReference(dims, arrays, dy, scale);
    return [r.dq, r.dk, r.dv, r.dBeta, r.dLogAlpha];
  });
}
