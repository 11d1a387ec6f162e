// Forward epilogue of the GEMM kernels: y = act(v + bias), saving the pre-activation z when there
// is an activation. Needs bindings bias, y, z (array<f32>) and params (GemmParams).
// #include "common/activations.wgsl"

// Overrides, not uniforms: SwiftShader runs both sides of a branch under a lane mask, so a
// runtime activation switch would cost every activation function on every element.
override ACT: u32 = 8u; // op code of common/activations.wgsl; OP_IDENTITY (8) = none
override HAS_BIAS: bool = false;

fn epilogue(c_off: u32, m: u32, n: u32, v: vec4<f32>, count: u32) {
  let row = c_off + m * params.N + n;
  for (var j = 0u; j < count; j++) {
    var pre = v[j];
    if (HAS_BIAS) { pre += bias[n + j]; }
    if (ACT == OP_IDENTITY) {
      y[row + j] = pre;
    } else {
      z[row + j] = pre;
      y[row + j] = unary_forward(ACT, pre, 1.0);
    }
  }
}
