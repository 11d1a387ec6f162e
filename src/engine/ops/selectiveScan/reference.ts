// CPU f64 reference of the selective scan: the plain SEQUENTIAL recurrence (no chunks), the
// oracle for the chunked shaders/scan/selective_scan_*.wgsl, and its reverse-mode backward.
// x, delta: [B, T, Dc]; bc: [B, T, S] (B_t at bOff + n, C_t at cOff + n); aLog: [Dc, N]; d: [Dc].

export interface ScanShape {
  B: number;
  T: number;
  C: number;
  N: number;
  S: number;
  bOff: number;
  cOff: number;
}

export interface ScanArrays {
  x: Float64Array;
  delta: Float64Array;
  bc: Float64Array;
  aLog: Float64Array;
  d: Float64Array;
}

/** h for every step: [B, T, Dc, N]. */
function states(s: ScanShape, a: ScanArrays): Float64Array {
  const { B, T, C, N, S, bOff } = s;
  const h = new Float64Array(B * T * C * N);
  for (let b = 0; b < B; b++)
    for (let c = 0; c < C; c++)
      for (let n = 0; n < N; n++) {
        const A = -Math.exp(a.aLog[c * N + n]!);
        let prev = 0;
        for (let t = 0; t < T; t++) {
          const row = b * T + t;
          const dt = a.delta[row * C + c]!;
          prev = Math.exp(dt * A) * prev + dt * a.bc[row * S + bOff + n]! * a.x[row * C + c]!;
          h[(row * C + c) * N + n] = prev;
        }
      }
  return h;
}

export function selectiveScanForwardReference(s: ScanShape, a: ScanArrays): Float64Array {
  const { B, T, C, N, S, cOff } = s;
  const h = states(s, a);
  const y = new Float64Array(B * T * C);
  for (let row = 0; row < B * T; row++)
    for (let c = 0; c < C; c++) {
      let acc = a.d[c]! * a.x[row * C + c]!;
      for (let n = 0; n < N; n++) acc += a.bc[row * S + cOff + n]! * h[(row * C + c) * N + n]!;
      y[row * C + c] = acc;
    }
  return y;
}

export interface ScanGrads {
  dx: Float64Array;
  dDelta: Float64Array;
  dBc: Float64Array;
  dALog: Float64Array;
  dD: Float64Array;
}

export function selectiveScanBackwardReference(s: ScanShape, a: ScanArrays, dy: Float64Array): ScanGrads {
  const { B, T, C, N, S, bOff, cOff } = s;
  const h = states(s, a);
  const out: ScanGrads = {
    dx: new Float64Array(B * T * C),
    dDelta: new Float64Array(B * T * C),
    dBc: new Float64Array(B * T * S),
    dALog: new Float64Array(C * N),
    dD: new Float64Array(C),
  };
  for (let b = 0; b < B; b++)
    for (let c = 0; c < C; c++) {
      for (let t = 0; t < T; t++) {
        const e = (b * T + t) * C + c;
        out.dD[c] += dy[e]! * a.x[e]!;
        out.dx[e] += a.d[c]! * dy[e]!;
      }
      for (let n = 0; n < N; n++) {
        const A = -Math.exp(a.aLog[c * N + n]!);
        let dA = 0;
        let carry = 0; // a_{t+1} · g_{t+1}
        for (let t = T - 1; t >= 0; t--) {
          const row = b * T + t;
          const e = row * C + c;
          const dt = a.delta[e]!;
          const xv = a.x[e]!;
          const bn = a.bc[row * S + bOff + n]!;
          const at = Math.exp(dt * A);
          const hPrev = t > 0 ? h[((row - 1) * C + c) * N + n]! : 0;
          out.dBc[row * S + cOff + n] += dy[e]! * h[(row * C + c) * N + n]!;
          const g = a.bc[row * S + cOff + n]! * dy[e]! + carry;
          out.dx[e] += g * dt * bn;
          out.dDelta[e] += g * (hPrev * at * A + bn * xv);
          out.dBc[row * S + bOff + n] += g * dt * xv;
          dA += g * hPrev * at * dt;
          carry = at * g;
        }
        out.dALog[c * N + n] += dA * A;
      }
    }
  return out;
}
