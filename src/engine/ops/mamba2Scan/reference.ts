// CPU f64 reference of the Mamba-2 scan (docs/protocol.md §4.10, docs/kernels.md "Mamba-2 scan"):
// the plain SEQUENTIAL recurrence (no chunks), the oracle for shaders/scan/mamba2_*.wgsl, and its
// reverse-mode backward. Per head h (P channels p, state N, B/C group q = h / (H / G)):
//   h_t[p,n] = exp(Δ_t[h]·A_h)·h_{t−1}[p,n] + Δ_t[h]·x_t[p]·B_t[q,n],   A_h = −exp(A_log[h])
//   y_t[p]   = Σ_n C_t[q,n]·h_t[p,n] + D[h]·x_t[p]
// xbc: [B, T, S] with S = H·P + 2·G·N, columns [x (H·P) | B (G·N) | C (G·N)] (the conv output);
// delta: [B, T, H] (already softplus'ed); aLog, d: [H].  y: [B, T, H·P].

export interface Mamba2Shape {
  B: number;
  T: number;
  /** heads */
  H: number;
  /** head dimension */
  P: number;
  /** state size */
  N: number;
  /** B/C groups (H a multiple of G) */
  G: number;
}

export interface Mamba2Arrays {
  xbc: Float64Array;
  delta: Float64Array;
  aLog: Float64Array;
  d: Float64Array;
}

export interface Mamba2Grads {
  dXbc: Float64Array;
  dDelta: Float64Array;
  dALog: Float64Array;
  dD: Float64Array;
}

/** Column layout of xbc: x at 0, B of group q at bCol(q, n), C at cCol(q, n). */
export function mamba2Columns(s: Mamba2Shape) {
  const inner = s.H * s.P;
  const S = inner + 2 * s.G * s.N;
  return {
    S,
    inner,
    group: (h: number) => Math.floor(h / (s.H / s.G)),
    bCol: (q: number, n: number) => inner + q * s.N + n,
    cCol: (q: number, n: number) => inner + (s.G + q) * s.N + n,
  };
}

/** h for every step: [B, T, H·P, N]. */
function states(s: Mamba2Shape, a: Mamba2Arrays): Float64Array {
  const { B, T, H, P, N } = s;
  const { S, inner, group, bCol } = mamba2Columns(s);
  const h = new Float64Array(B * T * inner * N);
  for (let b = 0; b < B; b++)
    for (let hd = 0; hd < H; hd++) {
      const A = -Math.exp(a.aLog[hd]!);
      const q = group(hd);
      for (let p = 0; p < P; p++)
        for (let n = 0; n < N; n++) {
          const c = hd * P + p;
          let prev = 0;
          for (let t = 0; t < T; t++) {
            const row = b * T + t;
            const dt = a.delta[row * H + hd]!;
            prev = Math.exp(dt * A) * prev + dt * a.xbc[row * S + c]! * a.xbc[row * S + bCol(q, n)]!;
            h[(row * inner + c) * N + n] = prev;
          }
        }
    }
  return h;
}

export function mamba2ScanForwardReference(s: Mamba2Shape, a: Mamba2Arrays): Float64Array {
  const { B, T, P, N } = s;
  const { S, inner, group, cCol } = mamba2Columns(s);
  const h = states(s, a);
  const y = new Float64Array(B * T * inner);
  for (let row = 0; row < B * T; row++)
    for (let c = 0; c < inner; c++) {
      const hd = Math.floor(c / P);
      const q = group(hd);
      let acc = a.d[hd]! * a.xbc[row * S + c]!;
      for (let n = 0; n < N; n++) acc += a.xbc[row * S + cCol(q, n)]! * h[(row * inner + c) * N + n]!;
      y[row * inner + c] = acc;
    }
  return y;
}

export function mamba2ScanBackwardReference(s: Mamba2Shape, a: Mamba2Arrays, dy: Float64Array): Mamba2Grads {
  const { B, T, H, P, N } = s;
  const { S, inner, group, bCol, cCol } = mamba2Columns(s);
  const h = states(s, a);
  const out: Mamba2Grads = {
    dXbc: new Float64Array(B * T * S),
    dDelta: new Float64Array(B * T * H),
    dALog: new Float64Array(H),
    dD: new Float64Array(H),
  };
  for (let b = 0; b < B; b++)
    for (let hd = 0; hd < H; hd++) {
      const A = -Math.exp(a.aLog[hd]!);
      const q = group(hd);
      let dA = 0;
      for (let p = 0; p < P; p++) {
        const c = hd * P + p;
        for (let t = 0; t < T; t++) {
          const row = b * T + t;
          out.dD[hd] += dy[row * inner + c]! * a.xbc[row * S + c]!;
          out.dXbc[row * S + c] += a.d[hd]! * dy[row * inner + c]!;
        }
        for (let n = 0; n < N; n++) {
          let carry = 0; // a_{t+1} · g_{t+1}
          for (let t = T - 1; t >= 0; t--) {
            const row = b * T + t;
            const dt = a.delta[row * H + hd]!;
            const xv = a.xbc[row * S + c]!;
            const bn = a.xbc[row * S + bCol(q, n)]!;
            const gy = dy[row * inner + c]!;
            const at = Math.exp(dt * A);
            const hPrev = t > 0 ? h[((row - 1) * inner + c) * N + n]! : 0;
            out.dXbc[row * S + cCol(q, n)] += gy * h[(row * inner + c) * N + n]!;
            const g = a.xbc[row * S + cCol(q, n)]! * gy + carry;
            out.dXbc[row * S + c] += g * dt * bn;
            out.dXbc[row * S + bCol(q, n)] += g * dt * xv;
            out.dDelta[row * H + hd] += g * (hPrev * at * A + bn * xv);
            dA += g * hPrev * at * dt;
            carry = at * g;
          }
        }
      }
      out.dALog[hd] += dA * A;
    }
  return out;
}
