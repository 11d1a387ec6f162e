// CPU f64 reference of RMSNorm over the last axis: the oracle for
// shaders/norm/rmsnorm_{forward,backward}.wgsl and norm_param_grad.wgsl.

/** x: [rows, d] flat, w: [d]. Returns y and the per-row rstd = 1 / sqrt(mean(x²) + eps). */
export function rmsnormForwardReference(
  x: Float64Array,
  w: Float64Array,
  eps: number,
): { y: Float64Array; rstd: Float64Array } {
  const d = w.length;
  const rows = x.length / d;
  const y = new Float64Array(x.length);
  const rstd = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let ss = 0;
    for (let i = 0; i < d; i++) ss += x[r * d + i]! ** 2;
    const s = 1 / Math.sqrt(ss / d + eps);
    rstd[r] = s;
    for (let i = 0; i < d; i++) y[r * d + i] = x[r * d + i]! * s * w[i]!;
  }
  return { y, rstd };
}

/**
 * With x̂ = x · rstd and g = dy ⊙ w:  dx = rstd · (g − x̂ · mean(g ⊙ x̂)),  dw = Σ_rows dy ⊙ x̂.
 */
export function rmsnormBackwardReference(
  x: Float64Array,
  w: Float64Array,
  dy: Float64Array,
  eps: number,
): { dx: Float64Array; dw: Float64Array } {
  const d = w.length;
  const rows = x.length / d;
  const { rstd } = rmsnormForwardReference(x, w, eps);
  const dx = new Float64Array(x.length);
  const dw = new Float64Array(d);
  for (let r = 0; r < rows; r++) {
    const s = rstd[r]!;
    let dot = 0;
    for (let i = 0; i < d; i++) dot += dy[r * d + i]! * w[i]! * x[r * d + i]! * s;
    const m = dot / d;
    for (let i = 0; i < d; i++) {
      const xh = x[r * d + i]! * s;
      dx[r * d + i] = s * (dy[r * d + i]! * w[i]! - xh * m);
      dw[i] = dw[i]! + dy[r * d + i]! * xh;
    }
  }
  return { dx, dw };
}
