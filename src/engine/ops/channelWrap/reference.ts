// CPU f64 reference of channelWrap: y[row, j] = x[row, (offset + j) mod cin], j < n.

export function channelWrapForwardReference(x: Float64Array, cin: number, offset: number, n: number): Float64Array {
  const rows = x.length / cin;
  const y = new Float64Array(rows * n);
  for (let r = 0; r < rows; r++) for (let j = 0; j < n; j++) y[r * n + j] = x[r * cin + ((offset + j) % cin)]!;
  return y;
}

export function channelWrapBackwardReference(dy: Float64Array, cin: number, offset: number, n: number): Float64Array {
  const rows = dy.length / n;
  const dx = new Float64Array(rows * cin);
  for (let r = 0; r < rows; r++) for (let j = 0; j < n; j++) dx[r * cin + ((offset + j) % cin)] += dy[r * n + j]!;
  return dx;
}
