// Backward epilogue of the vec4 GEMM kernel: c += v, 4 columns at once (N is a multiple of 4, so
// every fragment is whole and 16-byte aligned). Needs binding c (array<vec4<f32>>) and params.

fn epilogue(c_off: u32, m: u32, n: u32, v: vec4<f32>, count: u32) {
  let i = (c_off + m * params.N + n) / 4u;
  c[i] = c[i] + v;
}
