// CPU f64 reference of linearAttentionNorm: y[r, j] = num[r, j] / (den[r] + eps).

export function linearAttentionNormReference(num: Float64Array, den: Float64Array, dv: number, eps: number): Float64Array {
  return num.map((v, e) => v / (den[Math.floor(e / dv)]! + eps));
}

export function linearAttentionNormBackwardReference(
  num: Float64Array,
  den: Float64Array,
  dy: Float64Array,
  dv: number,
  eps: number,
): { dnum: Float64Array; dden: Float64Array } {
  const dnum = new Float64Array(num.length);
  const dden = new Float64Array(den.length);
  for (let e = 0; e < num.length; e++) {
    const r = Math.floor(e / dv);
    const inv = 1 / (den[r]! + eps);
    dnum[e] = dy[e]! * inv;
    dden[r] -= dy[e]! * num[e]! * inv * inv;
  }
  return { dnum, dden };
}
