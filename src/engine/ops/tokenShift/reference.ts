// CPU f64 reference of the token shift: plain loops over [B, T, D].

export function tokenShiftForwardReference(x: Float64Array, b: number, t: number, d: number): Float64Array {
  const y = new Float64Array(b * t * d);
  for (let bi = 0; bi < b; bi++) {
    for (let ti = 1; ti < t; ti++) {
      for (let c = 0; c < d; c++) y[(bi * t + ti) * d + c] = x[(bi * t + ti - 1) * d + c]!;
    }
  }
  return y;
}

export function tokenShiftBackwardReference(dy: Float64Array, b: number, t: number, d: number): Float64Array {
  const dx = new Float64Array(b * t * d);
  for (let bi = 0; bi < b; bi++) {
    for (let ti = 0; ti + 1 < t; ti++) {
      for (let c = 0; c < d; c++) dx[(bi * t + ti) * d + c] = dy[(bi * t + ti + 1) * d + c]!;
    }
  }
  return dx;
}
