// Backward epilogue of the GEMM kernels: c += v (gradients accumulate). Needs binding c
// (array<f32>) and params (GemmParams).

fn epilogue(c_off: u32, m: u32, n: u32, v: vec4<f32>, count: u32) {
  let row = c_off + m * params.N + n;
  for (var j = 0u; j < count; j++) {
    c[row + j] = c[row + j] + v[j];
  }
}
