// CPU f64 reference of GPT-NeoX rotary embedding on [B, T, H, d] and of its backward, written
// from the formulas of docs/protocol.md §4.2 (a' = a cos − b sin, b' = b cos + a sin on the two halves).

export interface RotaryShape {
  batch: number;
  time: number;
  heads: number;
  headDim: number;
  base: number;
}

function rotate(x: Float64Array, s: RotaryShape, sign: 1 | -1): Float64Array {
  const { batch, time, heads, headDim, base } = s;
  const half = headDim / 2;
  const y = new Float64Array(x.length);
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < time; t++) {
      for (let h = 0; h < heads; h++) {
        const row = ((b * time + t) * heads + h) * headDim;
        for (let j = 0; j < half; j++) {
          const theta = sign * t * Math.pow(base, (-2 * j) / headDim);
          const c = Math.cos(theta);
          const sn = Math.sin(theta);
          const a = x[row + j]!;
          const bb = x[row + j + half]!;
          y[row + j] = a * c - bb * sn;
          y[row + j + half] = bb * c + a * sn;
        }
      }
    }
  }
  return y;
}

export function rotaryForwardReference(x: Float64Array, s: RotaryShape): Float64Array {
  return rotate(x, s, 1);
}

/** dx = R(−θ) dy: the transpose of each 2×2 rotation. */
export function rotaryBackwardReference(dy: Float64Array, s: RotaryShape): Float64Array {
  return rotate(dy, s, -1);
}
