// The products of matmul's backward pass, accumulated into the gradients (dx += …):
//   dA = dZ · op(B)ᵀ   (its transpose when A was transposed)
//   dB = op(A)ᵀ · dZ   (summed over the batch, params.red > 1 or folded into K, when B is a
//                       shared 2-D weight)
// with dZ = dY ∘ act'(Z) from matmul_backward_dz.wgsl (dZ = dY without activation).
//   a, b: the two operands of this product, laid out as gemm_common.wgsl describes   f32
//   c:    [BATCH, M, N] the gradient being accumulated                                f32
// Entry points: matmul_kernel1_naive, matmul_kernel2_register, matmul_kernel4_tiled (gemm.wgsl).
// #include "matmul/gemm.wgsl"
// #include "matmul/epilogue_accumulate.wgsl"

@group(0) @binding(0) var<storage, read_write> a: array<f32>;
@group(0) @binding(1) var<storage, read_write> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> c: array<f32>;
@group(0) @binding(3) var<uniform> params: GemmParams;
