// f64 reference of the gated-linear-attention layer (docs/protocol.md §4.6) on the tape, written from
// flash-linear-attention's GatedLinearAttention with its parameter names; the recurrence is the
// op's SEQUENTIAL reference, so the layer test also checks the chunked kernel.

import { mul, scale, unary } from '../reference/elementwise.ts';
import { linear } from '../reference/linear.ts';
import { rmsnorm } from '../reference/norms.ts';
import { recurrence } from '../reference/sequence.ts';
import type { ParamVars, Tape, Var } from '../reference/tape.ts';

export interface GlaReferenceShape {
  T: number;
  dim: number;
  heads: number;
  /** Total key width, total value width, gate rank. */
  dk: number;
  dv: number;
  rank: number;
  eps: number;
  gateNormalizer: number;
}

/** x [B, T, dim] → [B, T, dim]. */
export function glaReference(t: Tape, p: ParamVars, x: Var, s: GlaReferenceShape): Var {
  const { T, dim, heads } = s;
  const q = linear(t, x, p['q_proj.weight']!, dim, s.dk);
  const k = linear(t, x, p['k_proj.weight']!, dim, s.dk);
  const v = linear(t, x, p['v_proj.weight']!, dim, s.dv);
  const gate = unary(t, 'silu', linear(t, x, p['g_proj.weight']!, dim, s.dv));
  const gk = linear(t, linear(t, x, p['gk_proj.0.weight']!, dim, s.rank), p['gk_proj.1.weight']!, s.rank, s.dk, p['gk_proj.1.bias']!);
  // log α = logsigmoid(gk) / normalizer = −softplus(−gk) / normalizer
  const logDecay = scale(t, unary(t, 'softplus', scale(t, gk, -1)), -1 / s.gateNormalizer);
  const dims = { B: x.value.length / (T * dim), T, H: heads, dk: s.dk / heads, dv: s.dv / heads };
  const o = recurrence(t, 'gla', dims, q, k, v, logDecay, null, 1 / Math.sqrt(dims.dk));
  return linear(t, mul(t, rmsnorm(t, o, p['g_norm.weight']!, s.eps), gate), p['o_proj.weight']!, s.dv, dim);
}
