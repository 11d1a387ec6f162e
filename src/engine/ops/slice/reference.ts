// CPU f64 reference of the last-axis slice: the oracle for shaders/layout/slice_*.wgsl.

export function sliceForwardReference(x: Float64Array, width: number, start: number, size: number): Float64Array {
  const rows = x.length / width;
  const y = new Float64Array(rows * size);
  for (let r = 0; r < rows; r++) for (let j = 0; j < size; j++) y[r * size + j] = x[r * width + start + j]!;
  return y;
}

export function sliceBackwardReference(dy: Float64Array, width: number, start: number, size: number): Float64Array {
  const rows = dy.length / size;
  const dx = new Float64Array(rows * width);
  for (let r = 0; r < rows; r++) for (let j = 0; j < size; j++) dx[r * width + start + j] += dy[r * size + j]!;
  return dx;
}
