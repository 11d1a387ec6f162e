// f64 building blocks of the recurrent layers' CPU references: each forward with its backward,
// plain loops. Row-major; "rows" is B·T.

export type F64 = Float64Array;

/** y[r, o] = Σ_i x[r, i] W[o, i] (+ b[o]). */
export function linearF(x: F64, w: F64, rows: number, din: number, dout: number, b?: F64): F64 {
  const y = new Float64Array(rows * dout);
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < dout; o++) {
      let acc = b ? b[o]! : 0;
      for (let i = 0; i < din; i++) acc += x[r * din + i]! * w[o * din + i]!;
      y[r * dout + o] = acc;
    }
  }
  return y;
}

export function linearB(x: F64, w: F64, dy: F64, rows: number, din: number, dout: number): { dx: F64; dw: F64; db: F64 } {
  const dx = new Float64Array(rows * din);
  const dw = new Float64Array(dout * din);
  const db = new Float64Array(dout);
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < dout; o++) {
      const g = dy[r * dout + o]!;
      db[o] += g;
      for (let i = 0; i < din; i++) {
        dx[r * din + i] += g * w[o * din + i]!;
        dw[o * din + i] += g * x[r * din + i]!;
      }
    }
  }
  return { dx, dw, db };
}

export const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
export const softplus = (z: number): number => (z > 20 ? z : Math.log1p(Math.exp(z)));
export const silu = (z: number): number => z * sigmoid(z);
export const siluGrad = (z: number): number => {
  const s = sigmoid(z);
  return s * (1 + z * (1 - s));
};

export function map(x: F64, f: (v: number, i: number) => number): F64 {
  return x.map(f);
}

export function add(a: F64, b: F64): F64 {
  return a.map((v, i) => v + b[i]!);
}

export function addInto(acc: F64, b: F64): void {
  for (let i = 0; i < acc.length; i++) acc[i] += b[i]!;
}

/** RMSNorm over groups of n: y = x / √(mean(x²) + eps) ∘ w (w: [n]). */
export function rmsnormF(x: F64, w: F64, n: number, eps: number): F64 {
  const y = new Float64Array(x.length);
  for (let r = 0; r < x.length / n; r++) {
    let ss = 0;
    for (let i = 0; i < n; i++) ss += x[r * n + i]! ** 2;
    const inv = 1 / Math.sqrt(ss / n + eps);
    for (let i = 0; i < n; i++) y[r * n + i] = x[r * n + i]! * inv * w[i]!;
  }
  return y;
}

export function rmsnormB(x: F64, w: F64, dy: F64, n: number, eps: number): { dx: F64; dw: F64 } {
  const dx = new Float64Array(x.length);
  const dw = new Float64Array(n);
  for (let r = 0; r < x.length / n; r++) {
    let ss = 0;
    for (let i = 0; i < n; i++) ss += x[r * n + i]! ** 2;
    const inv = 1 / Math.sqrt(ss / n + eps);
    let dot = 0;
    for (let i = 0; i < n; i++) {
      const g = dy[r * n + i]!;
      dw[i] += g * x[r * n + i]! * inv;
      dot += g * w[i]! * x[r * n + i]!;
    }
    for (let i = 0; i < n; i++) {
      dx[r * n + i] = inv * w[i]! * dy[r * n + i]! - (x[r * n + i]! * inv ** 3 * dot) / n;
    }
  }
  return { dx, dw };
}

/** GroupNorm over groups of n consecutive channels per row, then per-channel affine (w, b: [C]). */
export function groupNormF(x: F64, w: F64, b: F64, channels: number, groups: number, eps: number): F64 {
  const n = channels / groups;
  const y = new Float64Array(x.length);
  for (let r = 0; r < x.length / n; r++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += x[r * n + i]!;
    mean /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (x[r * n + i]! - mean) ** 2;
    const inv = 1 / Math.sqrt(v / n + eps);
    for (let i = 0; i < n; i++) {
      const c = (r * n + i) % channels;
      y[r * n + i] = (x[r * n + i]! - mean) * inv * w[c]! + b[c]!;
    }
  }
  return y;
}

export function groupNormB(x: F64, w: F64, dy: F64, channels: number, groups: number, eps: number): { dx: F64; dw: F64; db: F64 } {
  const n = channels / groups;
  const dx = new Float64Array(x.length);
  const dw = new Float64Array(channels);
  const db = new Float64Array(channels);
  for (let r = 0; r < x.length / n; r++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += x[r * n + i]!;
    mean /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (x[r * n + i]! - mean) ** 2;
    const inv = 1 / Math.sqrt(v / n + eps);
    let sg = 0;
    let sgx = 0;
    const xh: number[] = [];
    const gh: number[] = [];
    for (let i = 0; i < n; i++) {
      const c = (r * n + i) % channels;
      const g = dy[r * n + i]!;
      xh[i] = (x[r * n + i]! - mean) * inv;
      dw[c] += g * xh[i]!;
      db[c] += g;
      gh[i] = g * w[c]!;
      sg += gh[i]!;
      sgx += gh[i]! * xh[i]!;
    }
    for (let i = 0; i < n; i++) dx[r * n + i] = inv * (gh[i]! - sg / n - (xh[i]! * sgx) / n);
  }
  return { dx, dw, db };
}
