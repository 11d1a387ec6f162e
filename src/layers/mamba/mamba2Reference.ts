// f64 reference of the whole mamba2 layer (docs/protocol.md §4.10) on the tape, written from the
// issue's semantics (mamba_ssm's Mamba2 with its parameter names); the scan is the op's
// SEQUENTIAL reference, so the layer test also checks the chunked scan kernel.

import { NORM_EPS } from '../../engine/ops/rmsnorm/rmsnorm.ts';
import { add, mul, unary } from '../reference/elementwise.ts';
import { slice } from '../reference/layout.ts';
import { linear } from '../reference/linear.ts';
import { rmsnorm } from '../reference/norms.ts';
import { causalConv, mamba2Scan } from '../reference/sequence.ts';
import type { ParamVars, Tape, Var } from '../reference/tape.ts';
import type { Mamba2Dims } from './mamba2.ts';

/** x [B, T, dim] → [B, T, dim]. */
export function mamba2Reference(t: Tape, p: ParamVars, x: Var, T: number, dims: Mamba2Dims): Var {
  const { dim, inner, heads: H, headdim: P, state: N, groups: G, conv: K } = dims;
  const B = x.value.length / (T * dim);
  const convWidth = inner + 2 * G * N;
  const width = inner + convWidth + H;
  const zxbcdt = linear(t, x, p['in_proj.weight']!, dim, width);
  const z = slice(t, zxbcdt, width, 0, inner);
  const xbc = unary(t, 'silu', causalConv(t, { B, T, C: convWidth, K }, slice(t, zxbcdt, width, inner, convWidth), p['conv1d.weight']!, p['conv1d.bias']!));
  const delta = unary(t, 'softplus', add(t, slice(t, zxbcdt, width, inner + convWidth, H), p.dt_bias!));
  const y = mamba2Scan(t, { B, T, H, P, N, G }, xbc, delta, p.A_log!, p.D!);
  const normed = rmsnorm(t, mul(t, y, unary(t, 'silu', z)), p['norm.weight']!, NORM_EPS);
  return linear(t, normed, p['out_proj.weight']!, inner, dim);
}
