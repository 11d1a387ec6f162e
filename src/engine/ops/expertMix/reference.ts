// CPU f64 reference of the expert-weighted sum (plain loops), and the naive formulation that
// mad-lab writes: reshape z to [N, D, E], multiply by gate broadcast over D, sum the last axis.

export function expertMixForwardReference(z: Float64Array, gate: Float64Array, rows: number, d: number, e: number): Float64Array {
  const y = new Float64Array(rows * d);
  for (let n = 0; n < rows; n++) {
    for (let c = 0; c < d; c++) {
      let acc = 0;
      for (let x = 0; x < e; x++) acc += z[(n * d + c) * e + x]! * gate[n * e + x]!;
      y[n * d + c] = acc;
    }
  }
  return y;
}

export function expertMixBackwardReference(
  z: Float64Array,
  gate: Float64Array,
  dy: Float64Array,
  rows: number,
  d: number,
  e: number,
): { dz: Float64Array; dgate: Float64Array } {
  const dz = new Float64Array(z.length);
  const dgate = new Float64Array(gate.length);
  for (let n = 0; n < rows; n++) {
    for (let c = 0; c < d; c++) {
      for (let x = 0; x < e; x++) {
        dz[(n * d + c) * e + x] = dy[n * d + c]! * gate[n * e + x]!;
        dgate[n * e + x]! += dy[n * d + c]! * z[(n * d + c) * e + x]!;
      }
    }
  }
  return { dz, dgate };
}

/** (z.reshape(N, D, E) * gate[:, None, :]).sum(-1), as a product tensor then a reduction. */
export function expertMixNaive(z: Float64Array, gate: Float64Array, rows: number, d: number, e: number): Float64Array {
  const prod = z.map((v, i) => v * gate[Math.floor(i / (d * e)) * e + (i % e)]!);
  return Float64Array.from({ length: rows * d }, (_, i) => prod.subarray(i * e, (i + 1) * e).reduce((a, b) => a + b, 0));
}
