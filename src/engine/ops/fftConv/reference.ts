// CPU f64 reference of fftConv as the DIRECT O(T²) causal sum — the naive formulation that the
// FFT kernels are checked against (docs/protocol.md §4.3):
//   y[b,t,c] = Σ_{s≤t} k[s, c/R]·u[b,t−s,c] + D[c/R]·u[b,t,c]
// u, y: [B, T, C]; k: [T, CF]; D: [CF]; R = C / CF.

export interface FftConvShape {
  B: number;
  T: number;
  C: number;
  CF: number;
}

export function fftConvForwardReference(s: FftConvShape, u: Float64Array, k: Float64Array, d: Float64Array): Float64Array {
  const { B, T, C, CF } = s;
  const R = C / CF;
  const y = new Float64Array(B * T * C);
  for (let b = 0; b < B; b++) {
    for (let c = 0; c < C; c++) {
      const cf = Math.floor(c / R);
      for (let t = 0; t < T; t++) {
        let acc = d[cf]! * u[(b * T + t) * C + c]!;
        for (let j = 0; j <= t; j++) acc += k[j * CF + cf]! * u[(b * T + t - j) * C + c]!;
        y[(b * T + t) * C + c] = acc;
      }
    }
  }
  return y;
}

export interface FftConvGrads {
  du: Float64Array;
  dk: Float64Array;
  dd: Float64Array;
}

export function fftConvBackwardReference(
  s: FftConvShape,
  u: Float64Array,
  k: Float64Array,
  d: Float64Array,
  dy: Float64Array,
): FftConvGrads {
  const { B, T, C, CF } = s;
  const R = C / CF;
  const du = new Float64Array(B * T * C);
  const dk = new Float64Array(T * CF);
  const dd = new Float64Array(CF);
  for (let b = 0; b < B; b++) {
    for (let c = 0; c < C; c++) {
      const cf = Math.floor(c / R);
      for (let t = 0; t < T; t++) {
        const g = dy[(b * T + t) * C + c]!;
        const ut = u[(b * T + t) * C + c]!;
        dd[cf] += g * ut;
        du[(b * T + t) * C + c] += d[cf]! * g;
        for (let j = 0; j <= t; j++) {
          // y[t] += k[j]·u[t−j]
          dk[j * CF + cf] += g * u[(b * T + t - j) * C + c]!;
          du[(b * T + t - j) * C + c] += g * k[j * CF + cf]!;
        }
      }
    }
  }
  return { du, dk, dd };
}
