// f64 reference of mad-lab's linear attention layer (docs/protocol.md §4.5) on the tape, with its parameter
// names. Numerator and denominator come from the sequential recurrence reference (α = 1); the
// layer test checks that this equals mad-lab's quadratic form tril(φQ φKᵀ) V / (φq · cumsum φk + eps).

import { mul } from '../reference/elementwise.ts';
import { linear } from '../reference/linear.ts';
import { linearAttentionNorm, recurrence } from '../reference/sequence.ts';
import type { ParamVars, Tape, Var } from '../reference/tape.ts';

/** mad-lab's eps in the denominator. */
const LINEAR_ATTENTION_REFERENCE_EPS = 1e-12;

/** Σ_{s≤t} (φq_t·φk_s) v_s / (φq_t · Σ_{s≤t} φk_s + eps) per head, from φq, φk [B, T, H, h] and v [B, T, H, dv]. */
export function causalLinearAttention(t: Tape, fq: Var, fk: Var, v: Var, dims: { B: number; T: number; H: number; dk: number; dv: number }): Var {
  const num = recurrence(t, 'gla', dims, fq, fk, v, null, null);
  const ones = t.leaf(new Float64Array(dims.B * dims.T * dims.H).fill(1));
  const den = recurrence(t, 'gla', { ...dims, dv: 1 }, fq, fk, ones, null, null);
  return linearAttentionNorm(t, num, den, dims.dv, LINEAR_ATTENTION_REFERENCE_EPS);
}

/** x [B, T, dim] → [B, T, dim]; the Hadamard feature map φ(z) = (W_a z + b_a) ⊙ (W_b z + b_b) per head. */
export function linearAttentionReference(t: Tape, p: ParamVars, x: Var, s: { T: number; dim: number; heads: number }): Var {
  const { T, dim, heads } = s;
  const h = dim / heads;
  const featureMap = (z: Var, map: string): Var =>
    mul(t, linear(t, z, p[`${map}.layer1.weight`]!, h, h, p[`${map}.layer1.bias`]!), linear(t, z, p[`${map}.layer2.weight`]!, h, h, p[`${map}.layer2.bias`]!));
  const mapK = p['feature_map_k.layer1.weight'] ? 'feature_map_k' : 'feature_map_q'; // tie_feature_map_qk
  const fq = featureMap(linear(t, x, p['proj_q.weight']!, dim, dim), 'feature_map_q');
  const fk = featureMap(linear(t, x, p['proj_k.weight']!, dim, dim), mapK);
  const v = linear(t, x, p['proj_v.weight']!, dim, dim);
  const y = causalLinearAttention(t, fq, fk, v, { B: x.value.length / (T * dim), T, H: heads, dk: h, dv: h });
  return linear(t, y, p['out_proj.weight']!, dim, dim);
}
