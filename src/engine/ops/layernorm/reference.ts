// CPU f64 reference of LayerNorm over the last axis: the oracle for
// shaders/norm/layernorm_{forward,backward}.wgsl and norm_param_grad.wgsl.

/** x: [rows, d] flat; w, b: [d]. Returns y and the per-row mean and rstd = 1 / sqrt(var + eps). */
export function layernormForwardReference(
  x: Float64Array,
  w: Float64Array,
  b: Float64Array,
  eps: number,
): { y: Float64Array; mean: Float64Array; rstd: Float64Array } {
  const d = w.length;
  const rows = x.length / d;
  const y = new Float64Array(x.length);
  const mean = new Float64Array(rows);
  const rstd = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let i = 0; i < d; i++) s += x[r * d + i]!;
    const mu = s / d;
    let ss = 0;
    for (let i = 0; i < d; i++) ss += (x[r * d + i]! - mu) ** 2;
    const rs = 1 / Math.sqrt(ss / d + eps);
    mean[r] = mu;
    rstd[r] = rs;
    for (let i = 0; i < d; i++) y[r * d + i] = (x[r * d + i]! - mu) * rs * w[i]! + b[i]!;
  }
  return { y, mean, rstd };
}

/**
 * With x̂ = (x − mean) · rstd and g = dy ⊙ w:
 * dx = rstd · (g − mean(g) − x̂ · mean(g ⊙ x̂)),  dw = Σ_rows dy ⊙ x̂,  db = Σ_rows dy.
 */
export function layernormBackwardReference(
  x: Float64Array,
  w: Float64Array,
  b: Float64Array,
  dy: Float64Array,
  eps: number,
): { dx: Float64Array; dw: Float64Array; db: Float64Array } {
  const d = w.length;
  const rows = x.length / d;
  const { mean, rstd } = layernormForwardReference(x, w, b, eps);
  const dx = new Float64Array(x.length);
  const dw = new Float64Array(d);
  const db = new Float64Array(d);
  for (let r = 0; r < rows; r++) {
    const mu = mean[r]!;
    const rs = rstd[r]!;
    let sumG = 0;
    let sumGX = 0;
    for (let i = 0; i < d; i++) {
      const g = dy[r * d + i]! * w[i]!;
      sumG += g;
      sumGX += g * (x[r * d + i]! - mu) * rs;
    }
    for (let i = 0; i < d; i++) {
      const xh = (x[r * d + i]! - mu) * rs;
      const g = dy[r * d + i]! * w[i]!;
      dx[r * d + i] = rs * (g - sumG / d - xh * (sumGX / d));
      dw[i] = dw[i]! + dy[r * d + i]! * xh;
      db[i] = db[i]! + dy[r * d + i]!;
    }
  }
  return { dx, dw, db };
}
