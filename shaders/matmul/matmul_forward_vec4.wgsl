// Batched matmul with fused epilogue:  Y[bo] = act(op(A[bo]) · op(B[bo]) + bias)
//   a:    [BATCH, M, K] (or [BATCH, K, M] transposed)                              f32
//   b:    [BATCH, K, N] (or [BATCH, N, K] transposed), or one 2-D [K, N] / [N, K] shared by
//         every batch (params.b_batch = 0)                                           f32
//   bias: [N]            (read only when HAS_BIAS; else a placeholder)              f32
//   y:    [BATCH, M, N]  act(z)                                                     f32
//   z:    [BATCH, M, N]  the pre-activation, saved for backward (written only when
//                        ACT is not OP_IDENTITY; else a placeholder)                f32
// For linear layers the launcher folds the batch into M (one [B·T, Din] × [Din, Dout] product).
// Entry point: matmul_kernel3_register_vec4 (gemm_vec4.wgsl). Every tensor is read and written
// as vec4s, so M, N and K are multiples of 4.
// #include "matmul/gemm_vec4.wgsl"
// #include "matmul/epilogue_forward_vec4.wgsl"

@group(0) @binding(0) var<storage, read_write> a: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> b: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> bias: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> y: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> z: array<vec4<f32>>;
@group(0) @binding(5) var<uniform> params: GemmParams;
