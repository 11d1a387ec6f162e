// GEMM kernel 3 (numbering shared with gemm.wgsl): kernel2's 8×8 register blocking with 16-byte
// loads. The including file binds the operands as `a`, `b`: array<vec4<f32>>, so every load
// moves four values under one robustness clamp; on SwiftShader that is ~25 % faster than
// kernel2. Needs M, N, K all multiples of 4 (matmul.ts falls back to kernel2 otherwise); the
// transposes are overrides because they change which axis the vec4s run along:
//   A: [M, K] (vec4 over k), or [K, M] when TRANS_A (vec4 over m)
//   B: [K, N] (vec4 over n), or [N, K] when TRANS_B (vec4 over k)
// Per 4×4 sub-block the loaded vec4s form a mat4x4 that is Aᵀ/Bᵀ or (transposed) A/B; transposing
// is free, as SwiftShader keeps each vector component in its own SIMD register.
// Same contract as gemm.wgsl otherwise: params, epilogue(), grid x over N, y over M, z batches.
// #include "matmul/gemm_common.wgsl"

override TRANS_A: bool = false;
override TRANS_B: bool = false;
// See gemm.wgsl: B is A itself, read through `a`.
override B_FROM_A: bool = false;

fn read_b4(i: u32) -> vec4<f32> {
  if (B_FROM_A) { return a[i]; }
  return b[i];
}

@compute @workgroup_size(WG_X, WG_Y, 1)
fn matmul_kernel3_register_vec4(@builtin(global_invocation_id) gid: vec3<u32>) {
  let M = params.M;
  let N = params.N;
  let M4 = M / 4u;
  let N4 = N / 4u;
  let K4 = params.K / 4u;
  let m0 = gid.y * 8u;
  let n0 = gid.x * 8u;
  if (m0 >= M || n0 >= N) { return; } // no barriers here, so leaving early is fine
  let bo = gid.z;
  // Offsets in vec4 units; rows/columns past the edge are clamped (their results are not stored).
  // !TRANS_A: the 8 rows of A, each K4 vec4s long.  TRANS_A: the 2 vec4 columns over m.
  let ra0 = vec4<u32>(m0, min(m0 + 1u, M - 1u), min(m0 + 2u, M - 1u), min(m0 + 3u, M - 1u)) * K4;
  let ra1 = vec4<u32>(min(m0 + 4u, M - 1u), min(m0 + 5u, M - 1u), min(m0 + 6u, M - 1u), min(m0 + 7u, M - 1u)) * K4;
  let ca0 = m0 / 4u;
  let ca1 = min(m0 / 4u + 1u, M4 - 1u);
  // !TRANS_B: the 2 vec4 columns over n.  TRANS_B: the 8 rows of B, each K4 vec4s long.
  let cb0 = n0 / 4u;
  let cb1 = min(n0 / 4u + 1u, N4 - 1u);
  let rb0 = vec4<u32>(n0, min(n0 + 1u, N - 1u), min(n0 + 2u, N - 1u), min(n0 + 3u, N - 1u)) * K4;
  let rb1 = vec4<u32>(min(n0 + 4u, N - 1u), min(n0 + 5u, N - 1u), min(n0 + 6u, N - 1u), min(n0 + 7u, N - 1u)) * K4;
  var acc00 = mat4x4<f32>();
  var acc01 = mat4x4<f32>();
  var acc10 = mat4x4<f32>();
  var acc11 = mat4x4<f32>();
  for (var r = 0u; r < params.red; r++) {
    // All strides are multiples of 4 when M, N, K are.
    let pa = (bo * params.a_batch + r * params.a_red) / 4u;
    let pb = (bo * params.b_batch + r * params.b_red) / 4u;
    for (var k = 0u; k < K4; k++) {
      // at_I = A_Iᵀ (4k × 4m), bt_J = B_Jᵀ (4n × 4k) for the 4 k's of this step.
      var at0: mat4x4<f32>;
      var at1: mat4x4<f32>;
      if (TRANS_A) {
        let q = pa + 4u * k * M4;
        at0 = transpose(mat4x4<f32>(a[q + ca0], a[q + M4 + ca0], a[q + 2u * M4 + ca0], a[q + 3u * M4 + ca0]));
        at1 = transpose(mat4x4<f32>(a[q + ca1], a[q + M4 + ca1], a[q + 2u * M4 + ca1], a[q + 3u * M4 + ca1]));
      } else {
        let q = pa + k;
        at0 = mat4x4<f32>(a[q + ra0.x], a[q + ra0.y], a[q + ra0.z], a[q + ra0.w]);
        at1 = mat4x4<f32>(a[q + ra1.x], a[q + ra1.y], a[q + ra1.z], a[q + ra1.w]);
      }
      var bt0: mat4x4<f32>;
      var bt1: mat4x4<f32>;
      if (TRANS_B) {
        let q = pb + k;
        bt0 = transpose(mat4x4<f32>(read_b4(q + rb0.x), read_b4(q + rb0.y), read_b4(q + rb0.z), read_b4(q + rb0.w)));
        bt1 = transpose(mat4x4<f32>(read_b4(q + rb1.x), read_b4(q + rb1.y), read_b4(q + rb1.z), read_b4(q + rb1.w)));
      } else {
        let q = pb + 4u * k * N4;
        bt0 = mat4x4<f32>(read_b4(q + cb0), read_b4(q + N4 + cb0), read_b4(q + 2u * N4 + cb0), read_b4(q + 3u * N4 + cb0));
        bt1 = mat4x4<f32>(read_b4(q + cb1), read_b4(q + N4 + cb1), read_b4(q + 2u * N4 + cb1), read_b4(q + 3u * N4 + cb1));
      }
      acc00 += bt0 * at0;
      acc01 += bt1 * at0;
      acc10 += bt0 * at1;
      acc11 += bt1 * at1;
    }
  }
  store_block8(bo * params.c_batch, m0, n0, acc00, acc01, acc10, acc11);
}
