// CPU f64 reference of the chunked recurrence: the plain SEQUENTIAL recurrence, one time step at
// a time (so GPU-versus-reference checks compare the chunked kernels with the naive form), and
// its reverse-mode backward. Layouts as chunkedRecurrence.ts: q, k, lw [B,T,H,dk]; v [B,T,H,dv]; u [H,dk].

import type { RecurrenceMode } from './chunkedRecurrence.ts';

export interface RecurrenceDims {
  B: number;
  T: number;
  H: number;
  dk: number;
  dv: number;
}

export interface RecurrenceInputs {
  q: Float64Array;
  k: Float64Array;
  v: Float64Array;
  lw: Float64Array;
  /** [H, dk]; ignored by 'gla'. */
  u: Float64Array;
}

export interface RecurrenceGrads {
  dq: Float64Array;
  dk: Float64Array;
  dv: Float64Array;
  dlw: Float64Array;
  du: Float64Array;
}

export function recurrenceForwardReference(
  mode: RecurrenceMode,
  d: RecurrenceDims,
  x: RecurrenceInputs,
  scale = 1,
): Float64Array {
  return run(mode, d, x, scale, null).o;
}

export function recurrenceBackwardReference(
  mode: RecurrenceMode,
  d: RecurrenceDims,
  x: RecurrenceInputs,
  dout: Float64Array,
  scale = 1,
): RecurrenceGrads {
  return run(mode, d, x, scale, dout).grads!;
}

function run(
  mode: RecurrenceMode,
  { B, T, H, dk, dv }: RecurrenceDims,
  { q, k, v, lw, u }: RecurrenceInputs,
  scale: number,
  dout: Float64Array | null,
): { o: Float64Array; grads: RecurrenceGrads | null } {
  const o = new Float64Array(B * T * H * dv);
  const grads: RecurrenceGrads = {
    dq: new Float64Array(q.length),
    dk: new Float64Array(k.length),
    dv: new Float64Array(v.length),
    dlw: new Float64Array(lw.length),
    du: new Float64Array(H * dk),
  };
  const qi = (b: number, t: number, h: number, i: number): number => ((b * T + t) * H + h) * dk + i;
  const vi = (b: number, t: number, h: number, j: number): number => ((b * T + t) * H + h) * dv + j;
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      // states[t + 1] = S_t, states[0] = 0.
      const states: Float64Array[] = [new Float64Array(dk * dv)];
      for (let t = 0; t < T; t++) {
        const prev = states[t]!;
        const S = new Float64Array(dk * dv);
        for (let i = 0; i < dk; i++) {
          const a = Math.exp(lw[qi(b, t, h, i)]!);
          for (let j = 0; j < dv; j++) S[i * dv + j] = a * prev[i * dv + j]! + k[qi(b, t, h, i)]! * v[vi(b, t, h, j)]!;
        }
        states.push(S);
        for (let j = 0; j < dv; j++) {
          let acc = 0;
          for (let i = 0; i < dk; i++) {
            const sq = scale * q[qi(b, t, h, i)]!;
            if (mode === 'gla') acc += sq * S[i * dv + j]!;
            else acc += sq * (prev[i * dv + j]! + u[h * dk + i]! * k[qi(b, t, h, i)]! * v[vi(b, t, h, j)]!);
          }
          o[vi(b, t, h, j)] = acc;
        }
      }
      if (!dout) continue;
      // G = dL/dS_t from steps after t (plus, for 'gla', step t's own output).
      let G = new Float64Array(dk * dv);
      for (let t = T - 1; t >= 0; t--) {
        const prev = states[t]!;
        const S = states[t + 1]!;
        const dO = (j: number): number => dout[vi(b, t, h, j)]!;
        if (mode === 'gla') {
          for (let i = 0; i < dk; i++) {
            let dsq = 0;
            for (let j = 0; j < dv; j++) {
              dsq += S[i * dv + j]! * dO(j);
              G[i * dv + j] += scale * q[qi(b, t, h, i)]! * dO(j);
            }
            grads.dq[qi(b, t, h, i)] += scale * dsq;
          }
        } else {
          let vdo = 0;
          for (let j = 0; j < dv; j++) vdo += v[vi(b, t, h, j)]! * dO(j);
          let quk = 0;
          for (let i = 0; i < dk; i++) {
            const sq = scale * q[qi(b, t, h, i)]!;
            const kk = k[qi(b, t, h, i)]!;
            const uu = u[h * dk + i]!;
            let dsq = uu * kk * vdo;
            for (let j = 0; j < dv; j++) dsq += prev[i * dv + j]! * dO(j);
            grads.dq[qi(b, t, h, i)] += scale * dsq;
            grads.dk[qi(b, t, h, i)] += sq * uu * vdo;
            grads.du[h * dk + i] += sq * kk * vdo;
            quk += sq * uu * kk;
          }
          for (let j = 0; j < dv; j++) grads.dv[vi(b, t, h, j)] += quk * dO(j);
        }
        // S_t = a_t ∘ S_{t−1} + k_t v_tᵀ with dL/dS_t = G.
        const next = new Float64Array(dk * dv);
        for (let i = 0; i < dk; i++) {
          const a = Math.exp(lw[qi(b, t, h, i)]!);
          const kk = k[qi(b, t, h, i)]!;
          let dkk = 0;
          let da = 0;
          for (let j = 0; j < dv; j++) {
            const gij = G[i * dv + j]!;
            dkk += gij * v[vi(b, t, h, j)]!;
            grads.dv[vi(b, t, h, j)] += gij * kk;
            da += gij * prev[i * dv + j]!;
            next[i * dv + j] = a * gij;
            if (mode === 'rwkv') next[i * dv + j] += scale * q[qi(b, t, h, i)]! * dO(j);
          }
          grads.dk[qi(b, t, h, i)] += dkk;
          grads.dlw[qi(b, t, h, i)] += da * a;
        }
        G = next;
      }
    }
  }
  return { o, grads: dout ? grads : null };
}
