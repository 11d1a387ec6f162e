// CPU f64 reference of the whole attention layer (spec §4.2) and its backward, for tests:
// y = (attn(rotary, causal/window) of x Wqkvᵀ + bqkv) Woutᵀ + bout, with the naive attention
// reference of src/engine/ops/attention/reference.ts.

import { attentionBackwardReference, attentionForwardReference } from '../../engine/ops/attention/reference.ts';

export interface AttentionLayerShape {
  batch: number;
  time: number;
  dim: number;
  heads: number;
  window: number | null;
}

export interface AttentionLayerParams {
  wqkv: Float64Array;
  bqkv: Float64Array;
  wout: Float64Array;
  bout: Float64Array;
}

/** x [rows, din] · wᵀ ([dout, din]) + b. */
function linearRef(x: Float64Array, w: Float64Array, b: Float64Array, rows: number, din: number, dout: number): Float64Array {
  const y = new Float64Array(rows * dout);
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < dout; o++) {
      let s = b[o]!;
      for (let i = 0; i < din; i++) s += x[r * din + i]! * w[o * din + i]!;
      y[r * dout + o] = s;
    }
  }
  return y;
}

/** Gradients of linearRef given dy: [dx, dw, db]. */
function linearBackRef(x: Float64Array, w: Float64Array, dy: Float64Array, rows: number, din: number, dout: number): Float64Array[] {
  const dx = new Float64Array(rows * din);
  const dw = new Float64Array(dout * din);
  const db = new Float64Array(dout);
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < dout; o++) {
      const g = dy[r * dout + o]!;
      db[o]! += g;
      for (let i = 0; i < din; i++) {
        dx[r * din + i]! += g * w[o * din + i]!;
        dw[o * din + i]! += g * x[r * din + i]!;
      }
    }
  }
  return [dx, dw, db];
}

function attnShape(s: AttentionLayerShape) {
  return { batch: s.batch, time: s.time, heads: s.heads, headDim: s.dim / s.heads, window: s.window, base: 10000 };
}

export function attentionLayerForwardReference(x: Float64Array, p: AttentionLayerParams, s: AttentionLayerShape): Float64Array {
  const rows = s.batch * s.time;
  const qkv = linearRef(x, p.wqkv, p.bqkv, rows, s.dim, 3 * s.dim);
  const { output } = attentionForwardReference(qkv, attnShape(s));
  return linearRef(output, p.wout, p.bout, rows, s.dim, s.dim);
}

/** [dx, dWqkv, dbqkv, dWout, dbout] from dy. */
export function attentionLayerBackwardReference(x: Float64Array, p: AttentionLayerParams, dy: Float64Array, s: AttentionLayerShape): Float64Array[] {
  const rows = s.batch * s.time;
  const qkv = linearRef(x, p.wqkv, p.bqkv, rows, s.dim, 3 * s.dim);
  const { output } = attentionForwardReference(qkv, attnShape(s));
  const [dout, dwout, dbout] = linearBackRef(output, p.wout, dy, rows, s.dim, s.dim) as [Float64Array, Float64Array, Float64Array];
  const dqkv = attentionBackwardReference(qkv, dout, attnShape(s));
  const [dx, dwqkv, dbqkv] = linearBackRef(x, p.wqkv, dqkv, rows, s.dim, 3 * s.dim) as [Float64Array, Float64Array, Float64Array];
  return [dx, dwqkv, dbqkv, dwout, dbout];
}
