// CPU f64 reference of the gated-linear-attention layer (spec §4.6), forward and backward,
// built from the f64 blocks in referenceOps.ts and the sequential recurrence reference.

import { recurrenceBackwardReference, recurrenceForwardReference } from '../../engine/ops/chunkedRecurrence/reference.ts';
import { type F64, linearB, linearF, rmsnormB, rmsnormF, sigmoid, silu, siluGrad, softplus } from './referenceOps.ts';

export interface GlaRefShape {
  B: number;
  T: number;
  d: number;
  heads: number;
  /** Total key width, value width, gate rank. */
  dk: number;
  dv: number;
  rank: number;
  eps: number;
  normalizer: number;
}

export interface GlaRefParams {
  q: F64;
  k: F64;
  v: F64;
  g: F64;
  gk1: F64;
  gk2: F64;
  gk2Bias: F64;
  norm: F64;
  o: F64;
}

export const GLA_PARAM_NAMES = ['q', 'k', 'v', 'g', 'gk1', 'gk2', 'gk2Bias', 'norm', 'o'] as const;

function forward(x: F64, p: GlaRefParams, s: GlaRefShape) {
  const rows = s.B * s.T;
  const q = linearF(x, p.q, rows, s.d, s.dk);
  const k = linearF(x, p.k, rows, s.d, s.dk);
  const v = linearF(x, p.v, rows, s.d, s.dv);
  const gRaw = linearF(x, p.g, rows, s.d, s.dv);
  const l1 = linearF(x, p.gk1, rows, s.d, s.rank);
  const gk = linearF(l1, p.gk2, rows, s.rank, s.dk, p.gk2Bias);
  const lw = gk.map((z) => -softplus(-z) / s.normalizer);
  const dims = { B: s.B, T: s.T, H: s.heads, dk: s.dk / s.heads, dv: s.dv / s.heads };
  const rin = { q, k, v, lw, u: new Float64Array(s.dk) };
  const scale = 1 / Math.sqrt(dims.dk);
  const o = recurrenceForwardReference('gla', dims, rin, scale);
  const n = rmsnormF(o, p.norm, dims.dv, s.eps);
  const z = n.map((val, i) => val * silu(gRaw[i]!));
  const y = linearF(z, p.o, rows, s.dv, s.d);
  return { rows, q, k, v, gRaw, l1, gk, lw, dims, rin, scale, o, n, z, y };
}

export function glaReference(x: F64, p: GlaRefParams, s: GlaRefShape): F64 {
  return forward(x, p, s).y;
}

export function glaBackwardReference(x: F64, p: GlaRefParams, s: GlaRefShape, dy: F64): { dx: F64 } & Record<(typeof GLA_PARAM_NAMES)[number], F64> {
  const f = forward(x, p, s);
  const { rows } = f;
  const out = linearB(f.z, p.o, dy, rows, s.dv, s.d);
  const dn = out.dx.map((val, i) => val * silu(f.gRaw[i]!));
  const dgRaw = out.dx.map((val, i) => val * f.n[i]! * siluGrad(f.gRaw[i]!));
  const norm = rmsnormB(f.o, p.norm, dn, f.dims.dv, s.eps);
  const r = recurrenceBackwardReference('gla', f.dims, f.rin, norm.dx, f.scale);
  // d/dz of −softplus(−z)/c = sigmoid(−z)/c
  const dgk = r.dlw.map((val, i) => (val * sigmoid(-f.gk[i]!)) / s.normalizer);
  const gk2 = linearB(f.l1, p.gk2, dgk, rows, s.rank, s.dk);
  const gk1 = linearB(x, p.gk1, gk2.dx, rows, s.d, s.rank);
  const bq = linearB(x, p.q, r.dq, rows, s.d, s.dk);
  const bk = linearB(x, p.k, r.dk, rows, s.d, s.dk);
  const bv = linearB(x, p.v, r.dv, rows, s.d, s.dv);
  const bg = linearB(x, p.g, dgRaw, rows, s.d, s.dv);
  const dx = new Float64Array(x.length);
  for (const part of [gk1.dx, bq.dx, bk.dx, bv.dx, bg.dx]) for (let i = 0; i < dx.length; i++) dx[i] += part[i]!;
  return { dx, q: bq.dw, k: bk.dw, v: bv.dw, g: bg.dw, gk1: gk1.dw, gk2: gk2.dw, gk2Bias: gk2.db, norm: norm.dw, o: out.dw };
}
