// CPU f64 reference of causal (optionally sliding-window) multi-head attention with GPT-NeoX rotary
// on q and k, in the NAIVE formulation: the explicit score matrix S = q kᵀ / √d, masked, an
// explicit row softmax P, O = P v; backward through P with the plain softmax Jacobian
// (dS = P ∘ (dP − rowsum(dP ∘ P))), not the Δ = rowsum(dO ∘ O) shortcut the kernel uses.
// Layouts: qkv [B, T, 3, H, d] (all q, then k, then v; head-major), O [B, T, H, d].

import { rotaryBackwardReference, rotaryForwardReference } from '../rotary/reference.ts';

export interface AttentionShape {
  batch: number;
  time: number;
  heads: number;
  headDim: number;
  /** Query t sees keys t − window … t; null: every earlier key. */
  window: number | null;
  base: number;
}

/** Splits qkv [B, T, 3, H, d] into q, k, v [B, T, H, d]. */
function split(qkv: Float64Array, s: AttentionShape): [Float64Array, Float64Array, Float64Array] {
  const w = s.heads * s.headDim;
  const parts = [0, 1, 2].map(() => new Float64Array(s.batch * s.time * w));
  for (let row = 0; row < s.batch * s.time; row++) {
    for (let p = 0; p < 3; p++) parts[p]!.set(qkv.subarray((row * 3 + p) * w, (row * 3 + p + 1) * w), row * w);
  }
  return parts as [Float64Array, Float64Array, Float64Array];
}

function visible(s: AttentionShape, i: number, j: number): boolean {
  return j <= i && (s.window === null || i - j <= s.window);
}

interface Saved {
  q: Float64Array;
  k: Float64Array;
  v: Float64Array;
  /** P[b][h] as T×T row-major. */
  probs: Float64Array[];
  output: Float64Array;
  lse: Float64Array;
}

function forward(qkv: Float64Array, s: AttentionShape): Saved {
  const { batch, time, heads, headDim: d } = s;
  const rope = { batch, time, heads, headDim: d, base: s.base };
  const [q0, k0, v] = split(qkv, s);
  const q = rotaryForwardReference(q0, rope);
  const k = rotaryForwardReference(k0, rope);
  const scale = 1 / Math.sqrt(d);
  const at = (b: number, t: number, h: number): number => ((b * time + t) * heads + h) * d;
  const output = new Float64Array(q.length);
  const lse = new Float64Array(batch * time * heads);
  const probs: Float64Array[] = [];
  for (let b = 0; b < batch; b++) {
    for (let h = 0; h < heads; h++) {
      const S = new Float64Array(time * time).fill(-Infinity);
      for (let i = 0; i < time; i++) {
        for (let j = 0; j < time; j++) {
          if (!visible(s, i, j)) continue;
          let dot = 0;
          for (let c = 0; c < d; c++) dot += q[at(b, i, h) + c]! * k[at(b, j, h) + c]!;
          S[i * time + j] = dot * scale;
        }
      }
      const P = new Float64Array(time * time);
      for (let i = 0; i < time; i++) {
        let m = -Infinity;
        for (let j = 0; j < time; j++) m = Math.max(m, S[i * time + j]!);
        let z = 0;
        for (let j = 0; j < time; j++) z += Math.exp(S[i * time + j]! - m);
        for (let j = 0; j < time; j++) P[i * time + j] = Math.exp(S[i * time + j]! - m) / z;
        lse[(b * time + i) * heads + h] = m + Math.log(z);
        for (let j = 0; j < time; j++) {
          const p = P[i * time + j]!;
          for (let c = 0; c < d; c++) output[at(b, i, h) + c]! += p * v[at(b, j, h) + c]!;
        }
      }
      probs.push(P);
    }
  }
  return { q, k, v, probs, output, lse };
}

/** O [B, T, H, d] and the log-sum-exp of each score row [B, T, H]. */
export function attentionForwardReference(qkv: Float64Array, s: AttentionShape): { output: Float64Array; lse: Float64Array } {
  const { output, lse } = forward(qkv, s);
  return { output, lse };
}

/** dqkv [B, T, 3, H, d] from dO [B, T, H, d]. */
export function attentionBackwardReference(qkv: Float64Array, dout: Float64Array, s: AttentionShape): Float64Array {
  const { batch, time, heads, headDim: d } = s;
  const { q, k, v, probs } = forward(qkv, s);
  const scale = 1 / Math.sqrt(d);
  const at = (b: number, t: number, h: number): number => ((b * time + t) * heads + h) * d;
  const dq = new Float64Array(q.length);
  const dk = new Float64Array(q.length);
  const dv = new Float64Array(q.length);
  for (let b = 0; b < batch; b++) {
    for (let h = 0; h < heads; h++) {
      const P = probs[b * heads + h]!;
      for (let i = 0; i < time; i++) {
        const dP = new Float64Array(time);
        let rowDot = 0;
        for (let j = 0; j < time; j++) {
          let dot = 0;
          for (let c = 0; c < d; c++) dot += dout[at(b, i, h) + c]! * v[at(b, j, h) + c]!;
          dP[j] = dot;
          rowDot += dot * P[i * time + j]!;
        }
        for (let j = 0; j < time; j++) {
          const p = P[i * time + j]!;
          if (p === 0) continue;
          const dS = p * (dP[j]! - rowDot) * scale;
          for (let c = 0; c < d; c++) {
            dv[at(b, j, h) + c]! += p * dout[at(b, i, h) + c]!;
            dq[at(b, i, h) + c]! += dS * k[at(b, j, h) + c]!;
            dk[at(b, j, h) + c]! += dS * q[at(b, i, h) + c]!;
          }
        }
      }
    }
  }
  const rope = { batch, time, heads, headDim: d, base: s.base };
  const parts = [rotaryBackwardReference(dq, rope), rotaryBackwardReference(dk, rope), dv];
  const w = heads * d;
  const dqkv = new Float64Array(qkv.length);
  for (let row = 0; row < batch * time; row++) {
    for (let p = 0; p < 3; p++) dqkv.set(parts[p]!.subarray(row * w, (row + 1) * w), (row * 3 + p) * w);
  }
  return dqkv;
}

/** The q, k or v part (0, 1, 2) of a [B, T, 3, H·d] array, for per-gradient comparisons. */
export function qkvPart(x: ArrayLike<number>, part: 0 | 1 | 2, rows: number, width: number): Float64Array {
  const out = new Float64Array(rows * width);
  for (let r = 0; r < rows; r++) for (let c = 0; c < width; c++) out[r * width + c] = x[(r * 3 + part) * width + c]!;
  return out;
}
