// f64 reference of the delta-rule layers (docs/protocol.md §4.9) on the tape, written from
// flash-linear-attention's DeltaNet / GatedDeltaNet with their parameter names; the recurrence is
// the deltaRule op's per-token reference, so the layer test also checks the chunked kernels.

import { add, mul, scale, unary } from '../reference/elementwise.ts';
import { linear } from '../reference/linear.ts';
import { rmsnorm } from '../reference/norms.ts';
import { causalConv, deltaRule } from '../reference/sequence.ts';
import type { ParamVars, Tape, Var } from '../reference/tape.ts';
import { DELTA_NET_L2_EPS, DELTA_NET_NORM_EPS, type DeltaNetShape } from './deltaNet.ts';

/** x [B, T, dim] → [B, T, dim]; gated (a_proj, A_log, dt_bias, g_proj present) or not. */
export function deltaNetReference(t: Tape, p: ParamVars, x: Var, T: number, dim: number, s: DeltaNetShape, gated: boolean): Var {
  const { heads: H, dk, dv } = s;
  const B = x.value.length / (T * dim);
  const stream = (label: string, width: number): Var => {
    const y = linear(t, x, p[`${label}_proj.weight`]!, dim, width);
    return unary(t, 'silu', s.conv === null ? y : causalConv(t, { B, T, C: width, K: s.conv }, y, p[`${label}_conv1d.weight`]!, null));
  };
  // x/√(‖x‖² + eps) per head = RMSNorm with eps/dk and weight 1/√dk.
  const unitWeight = t.leaf(new Float64Array(dk).fill(1 / Math.sqrt(dk)));
  const q = rmsnorm(t, stream('q', H * dk), unitWeight, DELTA_NET_L2_EPS / dk);
  const k = rmsnorm(t, stream('k', H * dk), unitWeight, DELTA_NET_L2_EPS / dk);
  const v = stream('v', H * dv);
  const beta = unary(t, 'sigmoid', linear(t, x, p['b_proj.weight']!, dim, H));
  const logAlpha = gated
    ? mul(t, unary(t, 'softplus', add(t, linear(t, x, p['a_proj.weight']!, dim, H), p.dt_bias!)), scale(t, unary(t, 'exp', p.A_log!), -1))
    : null;
  const o = deltaRule(t, { B, T, H, dk, dv }, q, k, v, beta, logAlpha, 1 / Math.sqrt(dk));
  const normed = rmsnorm(t, o, p['o_norm.weight']!, DELTA_NET_NORM_EPS);
  const gatedOut = gated ? mul(t, normed, unary(t, 'silu', linear(t, x, p['g_proj.weight']!, dim, H * dv))) : normed;
  return linear(t, gatedOut, p['o_proj.weight']!, H * dv, dim);
}
