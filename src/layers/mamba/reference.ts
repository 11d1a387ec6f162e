// CPU f64 reference of the whole mamba layer (spec §4.4), forward and hand-written backward,
// built from the ops' plain-loop references (Linear, causal conv, the SEQUENTIAL scan): the
// oracle for the GPU layer. Tensors are flat row-major; rows = B·T.

import { causalConvBackwardReference, causalConvForwardReference } from '../../engine/ops/causalConv/reference.ts';
import { selectiveScanBackwardReference, selectiveScanForwardReference } from '../../engine/ops/selectiveScan/reference.ts';
import { unaryDerivativeReference, unaryReference } from '../../engine/ops/unary/reference.ts';
import { linearBackRef, linearRef } from '../channel/reference.ts';
import type { MambaDims } from './mamba.ts';

export interface MambaRefWeights {
  inProj: Float64Array;
  inProjBias: Float64Array | null;
  convWeight: Float64Array;
  convBias: Float64Array | null;
  xProj: Float64Array;
  dtProj: Float64Array;
  dtBias: Float64Array;
  aLog: Float64Array;
  d: Float64Array;
  outProj: Float64Array;
  outProjBias: Float64Array | null;
}

export type MambaRefGrads = { [K in keyof MambaRefWeights]: Float64Array } & { dx: Float64Array };

const silu = (v: number): number => unaryReference('silu', v, 1);
const dsilu = (v: number): number => unaryDerivativeReference('silu', v, 1);
const softplus = (v: number): number => unaryReference('softplus', v, 1);
const sigmoid = (v: number): number => unaryReference('sigmoid', v, 1);

interface Saved {
  xs: Float64Array;
  z: Float64Array;
  xc: Float64Array;
  xa: Float64Array;
  dbc: Float64Array;
  dl: Float64Array;
  pre: Float64Array;
  delta: Float64Array;
  y: Float64Array;
  gated: Float64Array;
  out: Float64Array;
}

function forward(B: number, T: number, dims: MambaDims, x: Float64Array, w: MambaRefWeights): Saved {
  const { dim, inner: C, state: N, conv: K, dtRank: R } = dims;
  const n = B * T;
  const S = R + 2 * N;
  const xz = linearRef(x, w.inProj, n, dim, 2 * C, w.inProjBias ?? undefined);
  const xs = new Float64Array(n * C);
  const z = new Float64Array(n * C);
  for (let r = 0; r < n; r++)
    for (let c = 0; c < C; c++) {
      xs[r * C + c] = xz[r * 2 * C + c]!;
      z[r * C + c] = xz[r * 2 * C + C + c]!;
    }
  const xc = causalConvForwardReference({ B, T, C, K }, xs, w.convWeight, w.convBias);
  const xa = xc.map(silu);
  const dbc = linearRef(xa, w.xProj, n, C, S);
  const dl = new Float64Array(n * R);
  for (let r = 0; r < n; r++) for (let j = 0; j < R; j++) dl[r * R + j] = dbc[r * S + j]!;
  const pre = linearRef(dl, w.dtProj, n, R, C, w.dtBias);
  const delta = pre.map(softplus);
  const y = selectiveScanForwardReference({ B, T, C, N, S, bOff: R, cOff: R + N }, { x: xa, delta, bc: dbc, aLog: w.aLog, d: w.d });
  const gated = y.map((v, i) => v * silu(z[i]!));
  const out = linearRef(gated, w.outProj, n, C, dim, w.outProjBias ?? undefined);
  return { xs, z, xc, xa, dbc, dl, pre, delta, y, gated, out };
}

export function mambaForwardReference(B: number, T: number, dims: MambaDims, x: Float64Array, w: MambaRefWeights): Float64Array {
  return forward(B, T, dims, x, w).out;
}

export function mambaBackwardReference(B: number, T: number, dims: MambaDims, x: Float64Array, w: MambaRefWeights, dout: Float64Array): MambaRefGrads {
  const { dim, inner: C, state: N, conv: K, dtRank: R } = dims;
  const n = B * T;
  const S = R + 2 * N;
  const s = forward(B, T, dims, x, w);
  const zeros = (a: Float64Array | null): Float64Array => new Float64Array(a ? a.length : 0);
  const gr: MambaRefGrads = {
    dx: new Float64Array(x.length),
    inProj: zeros(w.inProj),
    inProjBias: zeros(w.inProjBias),
    convWeight: zeros(w.convWeight),
    convBias: zeros(w.convBias),
    xProj: zeros(w.xProj),
    dtProj: zeros(w.dtProj),
    dtBias: zeros(w.dtBias),
    aLog: zeros(w.aLog),
    d: zeros(w.d),
    outProj: zeros(w.outProj),
    outProjBias: zeros(w.outProjBias),
  };
  const dgated = new Float64Array(n * C);
  linearBackRef(s.gated, w.outProj, dout, n, C, dim, dgated, gr.outProj, w.outProjBias ? gr.outProjBias : undefined);
  const dy = dgated.map((v, i) => v * silu(s.z[i]!));
  const dz = dgated.map((v, i) => v * s.y[i]! * dsilu(s.z[i]!));
  const sg = selectiveScanBackwardReference(
    { B, T, C, N, S, bOff: R, cOff: R + N },
    { x: s.xa, delta: s.delta, bc: s.dbc, aLog: w.aLog, d: w.d },
    dy,
  );
  gr.aLog.set(sg.dALog);
  gr.d.set(sg.dD);
  const dbc = sg.dBc;
  const dpre = sg.dDelta.map((v, i) => v * sigmoid(s.pre[i]!));
  const ddl = new Float64Array(n * R);
  linearBackRef(s.dl, w.dtProj, dpre, n, R, C, ddl, gr.dtProj, gr.dtBias);
  for (let r = 0; r < n; r++) for (let j = 0; j < R; j++) dbc[r * S + j] += ddl[r * R + j]!;
  const dxa = sg.dx;
  linearBackRef(s.xa, w.xProj, dbc, n, C, S, dxa, gr.xProj);
  const dxc = dxa.map((v, i) => v * dsilu(s.xc[i]!));
  const cg = causalConvBackwardReference({ B, T, C, K }, s.xs, w.convWeight, dxc);
  gr.convWeight.set(cg.dw);
  if (w.convBias) gr.convBias.set(cg.db);
  const dxz = new Float64Array(n * 2 * C);
  for (let r = 0; r < n; r++)
    for (let c = 0; c < C; c++) {
      dxz[r * 2 * C + c] = cg.dx[r * C + c]!;
      dxz[r * 2 * C + C + c] = dz[r * C + c]!;
    }
  linearBackRef(x, w.inProj, dxz, n, dim, 2 * C, gr.dx, gr.inProj, w.inProjBias ? gr.inProjBias : undefined);
  return gr;
}
