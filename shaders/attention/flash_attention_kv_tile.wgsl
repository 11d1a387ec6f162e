// The key/value tile of the flash-attention forward and dq kernels (included). Rows
// t0 … t0 + KB − 1 of the workgroup's HG heads: k rotated once here (not once per query), v as is.
// Layout [KB][HG][HD]. Rows ≥ T are left stale; callers never read them.

var<workgroup> k_tile: array<f32, KB * HG * HD>;
var<workgroup> v_tile: array<f32, KB * HG * HD>;

fn load_kv_tile(seq: u32, h0: u32, t0: u32, lid: u32) {
  let H = params.heads;
  let stride = 3u * H * HD;
  for (var e = lid; e < KB * HG * HALF; e += WG) {
    let jj = e / (HG * HALF);
    let rem = e - jj * (HG * HALF);
    let hl = rem / HALF;
    let c = rem - hl * HALF;
    let j = t0 + jj;
    if (j < params.time) {
      let src = (seq + j) * stride + (H + h0 + hl) * HD + c;
      let cs = table[j * HALF + c];
      let sn = table[(params.time + j) * HALF + c];
      let a = qkv[src];
      let b = qkv[src + HALF];
      let dst = (jj * HG + hl) * HD + c;
      k_tile[dst] = a * cs - b * sn;
      k_tile[dst + HALF] = b * cs + a * sn;
    }
  }
  // The HG heads of one token are HG·HD contiguous floats.
  for (var e = lid; e < KB * HG * HD; e += WG) {
    let jj = e / (HG * HD);
    let j = t0 + jj;
    if (j < params.time) {
      v_tile[e] = qkv[(seq + j) * stride + (2u * H + h0) * HD + (e - jj * HG * HD)];
    }
  }
}
