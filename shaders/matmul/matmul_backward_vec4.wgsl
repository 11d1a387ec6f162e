// The products of matmul's backward pass, accumulated into the gradients (dx += …):
//   dA = dZ · op(B)ᵀ   (its transpose when A was transposed)
//   dB = op(A)ᵀ · dZ   (summed over the batch, params.red > 1 or folded into K, when B is a
//                       shared 2-D weight)
// with dZ = dY ∘ act'(Z) from matmul_backward_dz.wgsl (dZ = dY without activation).
//   a, b: the two operands of this product, laid out as gemm_common.wgsl describes   f32
//   c:    [BATCH, M, N] the gradient being accumulated                                f32
// Entry point: matmul_kernel3_register_vec4 (gemm_vec4.wgsl). Every tensor is read and written
// as vec4s, so M, N and K are multiples of 4.
// #include "matmul/gemm_vec4.wgsl"
// #include "matmul/epilogue_accumulate_vec4.wgsl"

@group(0) @binding(0) var<storage, read_write> a: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> b: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> c: array<vec4<f32>>;
@group(0) @binding(3) var<uniform> params: GemmParams;
