// CPU f64 reference of the depthwise causal Conv1d: the oracle for shaders/conv/causal_conv_*.wgsl.
// x: [B, T, C] flat, w: [C, K], bias: [C] or null.

export interface ConvShape {
  B: number;
  T: number;
  C: number;
  K: number;
}

export function causalConvForwardReference(s: ConvShape, x: Float64Array, w: Float64Array, bias: Float64Array | null): Float64Array {
  const { B, T, C, K } = s;
  const y = new Float64Array(B * T * C);
  for (let b = 0; b < B; b++)
    for (let t = 0; t < T; t++)
      for (let c = 0; c < C; c++) {
        let acc = bias ? bias[c]! : 0;
        for (let j = 0; j < K; j++) {
          const src = t - (K - 1) + j;
          if (src >= 0) acc += w[c * K + j]! * x[(b * T + src) * C + c]!;
        }
        y[(b * T + t) * C + c] = acc;
      }
  return y;
}

export function causalConvBackwardReference(
  s: ConvShape,
  x: Float64Array,
  w: Float64Array,
  dy: Float64Array,
): { dx: Float64Array; dw: Float64Array; db: Float64Array } {
  const { B, T, C, K } = s;
  const dx = new Float64Array(B * T * C);
  const dw = new Float64Array(C * K);
  const db = new Float64Array(C);
  for (let b = 0; b < B; b++)
    for (let t = 0; t < T; t++)
      for (let c = 0; c < C; c++) {
        const g = dy[(b * T + t) * C + c]!;
        db[c] += g;
        for (let j = 0; j < K; j++) {
          const src = t - (K - 1) + j;
          if (src < 0) continue;
          dx[(b * T + src) * C + c] += w[c * K + j]! * g;
          dw[c * K + j] += x[(b * T + src) * C + c]! * g;
        }
      }
  return { dx, dw, db };
}
