// CPU f64 reference of selectPosition: the oracle for select_position_{forward,backward}.wgsl.

/** x: [B, T, D] flat → [B, D] = x[:, p, :]. */
export function selectPositionForwardReference(x: Float64Array, shape: readonly [number, number, number], p: number): Float64Array {
  const [b, t, d] = shape;
  const y = new Float64Array(b * d);
  for (let i = 0; i < b; i++) for (let c = 0; c < d; c++) y[i * d + c] = x[(i * t + p) * d + c]!;
  return y;
}

/** dy: [B, D] → dx: [B, T, D], zero except at position p. */
export function selectPositionBackwardReference(dy: Float64Array, shape: readonly [number, number, number], p: number): Float64Array {
  const [b, t, d] = shape;
  const dx = new Float64Array(b * t * d);
  for (let i = 0; i < b; i++) for (let c = 0; c < d; c++) dx[(i * t + p) * d + c] = dy[i * d + c]!;
  return dx;
}
