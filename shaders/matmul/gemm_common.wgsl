// Shared by the GEMM kernels (gemm.wgsl, gemm_vec4.wgsl).
//
// Parameters of one GEMM launch (matmul.ts gemmParams() packs them in this order; every member is
// a 4-byte scalar). Per output batch bo and summed slice r < red:
//   A(m, k) = a[bo·a_batch + r·a_red + m·a_sm + k·a_sk]
//   B(k, n) = b[bo·b_batch + r·b_red + k·b_sk + n·b_sn]      (b_batch = 0: B shared by the batch)
//   C(m, n) = c[bo·c_batch + m·N + n]
struct GemmParams {
  M: u32,
  N: u32,
  K: u32,
  a_batch: u32,
  b_batch: u32,
  c_batch: u32,
  red: u32,
  a_red: u32,
  b_red: u32,
  a_sm: u32,
  a_sk: u32,
  b_sk: u32,
  b_sn: u32,
}

// Invocations per workgroup in x (over N) and y (over M).
override WG_X: u32 = 8u;
override WG_Y: u32 = 8u;

// Stores an 8×8 block held as four transposed 4×4 sub-blocks (see gemm.wgsl kernel2), skipping what lies
// past M and N.
fn store_block8(c_off: u32, m0: u32, n0: u32, acc00: mat4x4<f32>, acc01: mat4x4<f32>, acc10: mat4x4<f32>, acc11: mat4x4<f32>) {
  let M = params.M;
  let N = params.N;
  let count0 = min(4u, N - n0);
  let right = n0 + 4u < N;
  let count1 = select(0u, min(4u, N - min(n0 + 4u, N)), right);
  for (var i = 0u; i < 4u; i++) {
    let m = m0 + i;
    if (m < M) {
      epilogue(c_off, m, n0, acc00[i], count0);
      if (right) { epilogue(c_off, m, n0 + 4u, acc01[i], count1); }
    }
    let m1 = m0 + 4u + i;
    if (m1 < M) {
      epilogue(c_off, m1, n0, acc10[i], count0);
      if (right) { epilogue(c_off, m1, n0 + 4u, acc11[i], count1); }
    }
  }
}

