// CPU f64 reference of mhFftConv, straight from docs/protocol.md §4.3's formula (direct O(T²·H²) sums, no
// FFT): uc [B, T, 3I] = x1 | x2 | v, k [T, W], D [W], H channels per group, W = I/H groups.
//   M_a[i,j](t) = Σ_{s≤t} k[t−s, a]·v_i(s)·x2_j(s) + D_a·v_i(t)·x2_j(t);  y[a·H+j](t) = Σ_i x1_i(t)·M_a[i,j](t)

export interface MhShape {
  B: number;
  T: number;
  I: number;
  H: number;
}

export function mhFftConvForwardReference(s: MhShape, uc: Float64Array, k: Float64Array, d: Float64Array): Float64Array {
  const { B, T, I, H } = s;
  const W = I / H;
  const at = (b: number, t: number, stream: number, ch: number): number => (b * T + t) * 3 * I + stream * I + ch;
  const y = new Float64Array(B * T * I);
  for (let b = 0; b < B; b++)
    for (let a = 0; a < W; a++)
      for (let t = 0; t < T; t++)
        for (let j = 0; j < H; j++) {
          let acc = 0;
          for (let i = 0; i < H; i++) {
            let m = d[a]! * uc[at(b, t, 2, a * H + i)]! * uc[at(b, t, 1, a * H + j)]!;
            for (let q = 0; q <= t; q++) m += k[(t - q) * W + a]! * uc[at(b, q, 2, a * H + i)]! * uc[at(b, q, 1, a * H + j)]!;
            acc += uc[at(b, t, 0, a * H + i)]! * m;
          }
          y[(b * T + t) * I + a * H + j] = acc;
        }
  return y;
}

export function mhFftConvBackwardReference(
  s: MhShape,
  uc: Float64Array,
  k: Float64Array,
  d: Float64Array,
  dy: Float64Array,
): { duc: Float64Array; dk: Float64Array; dd: Float64Array } {
  const { B, T, I, H } = s;
  const W = I / H;
  const at = (b: number, t: number, stream: number, ch: number): number => (b * T + t) * 3 * I + stream * I + ch;
  const duc = new Float64Array(uc.length);
  const dk = new Float64Array(k.length);
  const dd = new Float64Array(d.length);
  for (let b = 0; b < B; b++)
    for (let a = 0; a < W; a++)
      for (let t = 0; t < T; t++)
        for (let j = 0; j < H; j++) {
          const gy = dy[(b * T + t) * I + a * H + j]!;
          for (let i = 0; i < H; i++) {
            const x1 = at(b, t, 0, a * H + i);
            const gm = gy * uc[x1]!; // ∂L/∂M_a[i,j](t)
            const vt = at(b, t, 2, a * H + i);
            const x2t = at(b, t, 1, a * H + j);
            let m = d[a]! * uc[vt]! * uc[x2t]!;
            dd[a] += gm * uc[vt]! * uc[x2t]!;
            duc[vt] += gm * d[a]! * uc[x2t]!;
            duc[x2t] += gm * d[a]! * uc[vt]!;
            for (let q = 0; q <= t; q++) {
              const vq = at(b, q, 2, a * H + i);
              const x2q = at(b, q, 1, a * H + j);
              const f = k[(t - q) * W + a]!;
              m += f * uc[vq]! * uc[x2q]!;
              dk[(t - q) * W + a] += gm * uc[vq]! * uc[x2q]!;
              duc[vq] += gm * f * uc[x2q]!;
              duc[x2q] += gm * f * uc[vq]!;
            }
            duc[x1] += gy * m;
          }
        }
  return { duc, dk, dd };
}
