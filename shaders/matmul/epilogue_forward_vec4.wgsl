// Forward epilogue of the vec4 GEMM kernel: y = act(v + bias) on 4 columns at once, saving the
// pre-activation z when there is an activation. N is a multiple of 4 there, so every fragment is
// whole and 16-byte aligned. Needs bindings bias, y, z (array<vec4<f32>>) and params.
// #include "common/activations.wgsl"

// Overrides, not uniforms: SwiftShader runs both sides of a branch under a lane mask, so a
// runtime activation switch would cost every activation function on every element.
override ACT: u32 = 8u; // op code of common/activations.wgsl; OP_IDENTITY (8) = none
override HAS_BIAS: bool = false;

fn epilogue(c_off: u32, m: u32, n: u32, v: vec4<f32>, count: u32) {
  let i = (c_off + m * params.N + n) / 4u;
  var pre = v;
  if (HAS_BIAS) { pre += bias[n / 4u]; }
  if (ACT == OP_IDENTITY) {
    y[i] = pre;
  } else {
    z[i] = pre;
    y[i] = vec4<f32>(unary_forward(ACT, pre.x, 1.0), unary_forward(ACT, pre.y, 1.0), unary_forward(ACT, pre.z, 1.0), unary_forward(ACT, pre.w, 1.0));
  }
}
