// f64 reference of the whole mamba layer (docs/protocol.md §4.4) on the tape, written from mamba_simple with
// its parameter names; the scan is the op's SEQUENTIAL reference, so the layer test also checks
// the chunked scan kernel.

import { mul, unary } from '../reference/elementwise.ts';
import { slice } from '../reference/layout.ts';
import { linear } from '../reference/linear.ts';
import { causalConv, selectiveScan } from '../reference/sequence.ts';
import type { ParamVars, Tape, Var } from '../reference/tape.ts';
import type { MambaDims } from './mamba.ts';

/** x [B, T, dim] → [B, T, dim]; the in_proj and out_proj biases and the conv bias as the config has them. */
export function mambaReference(t: Tape, p: ParamVars, x: Var, T: number, dims: MambaDims): Var {
  const { dim, inner: C, state: N, conv: K, dtRank: R } = dims;
  const B = x.value.length / (T * dim);
  const S = R + 2 * N;
  const xz = linear(t, x, p['in_proj.weight']!, dim, 2 * C, p['in_proj.bias'] ?? null);
  const xs = slice(t, xz, 2 * C, 0, C);
  const z = slice(t, xz, 2 * C, C, C);
  const xa = unary(t, 'silu', causalConv(t, { B, T, C, K }, xs, p['conv1d.weight']!, p['conv1d.bias'] ?? null));
  const dbc = linear(t, xa, p['x_proj.weight']!, C, S); // [δ | B | C]
  const delta = unary(t, 'softplus', linear(t, slice(t, dbc, S, 0, R), p['dt_proj.weight']!, R, C, p['dt_proj.bias']!));
  const y = selectiveScan(t, { B, T, C, N, S, bOff: R, cOff: R + N }, xa, delta, dbc, p.A_log!, p.D!);
  return linear(t, mul(t, y, unary(t, 'silu', z)), p['out_proj.weight']!, C, dim, p['out_proj.bias'] ?? null);
}
