// CPU f64 reference of softmax over the last axis: the oracle for
// shaders/reduce/softmax_{forward,backward}.wgsl.

/** x: [rows, d] flat. */
export function softmaxForwardReference(x: Float64Array, d: number): Float64Array {
  const y = new Float64Array(x.length);
  for (let r = 0; r < x.length / d; r++) {
    let max = -Infinity;
    for (let i = 0; i < d; i++) max = Math.max(max, x[r * d + i]!);
    let sum = 0;
    for (let i = 0; i < d; i++) sum += Math.exp(x[r * d + i]! - max);
    for (let i = 0; i < d; i++) y[r * d + i] = Math.exp(x[r * d + i]! - max) / sum;
  }
  return y;
}

/** dx = y ∘ (dy − Σ dy ∘ y), from x (recomputing y) and dy. */
export function softmaxBackwardReference(x: Float64Array, dy: Float64Array, d: number): Float64Array {
  const y = softmaxForwardReference(x, d);
  const dx = new Float64Array(x.length);
  for (let r = 0; r < x.length / d; r++) {
    let dot = 0;
    for (let i = 0; i < d; i++) dot += dy[r * d + i]! * y[r * d + i]!;
    for (let i = 0; i < d; i++) dx[r * d + i] = y[r * d + i]! * (dy[r * d + i]! - dot);
  }
  return dx;
}
