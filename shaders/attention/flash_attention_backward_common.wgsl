// Shared by the two flash-attention backward kernels (included; declares nothing bound).
// The including file declares `dqkv`, `table` and `params`.

// Adds R(−θ_t)·g to dqkv[base …]: the transpose of the forward rotation.
fn add_unrotated(base: u32, t: u32, g: array<f32, HD>) {
  let cos_at = t * HALF;
  let sin_at = (params.time + t) * HALF;
  for (var j = 0u; j < HALF; j++) {
    let c = table[cos_at + j];
    let s = table[sin_at + j];
    let a = g[j];
    let b = g[j + HALF];
    dqkv[base + j] += a * c + b * s;
    dqkv[base + j + HALF] += b * c - a * s;
  }
}

