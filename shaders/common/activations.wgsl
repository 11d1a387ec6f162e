// Pointwise functions and their derivatives, shared by the elementwise kernels and the
// fused epilogues of matmul. Op codes match UNARY_OPS in src/engine/ops/unary/unary.ts.
const OP_GELU_TANH: u32 = 0u;
const OP_GELU_ERF: u32 = 1u;
const OP_SILU: u32 = 2u;
const OP_SIGMOID: u32 = 3u;
const OP_SOFTPLUS: u32 = 4u;
const OP_EXP: u32 = 5u;
const OP_SIN: u32 = 6u;
const OP_SCALE: u32 = 7u;
const OP_IDENTITY: u32 = 8u;
// Codes after OP_IDENTITY are UNARY_OPS index + 1 (unaryOpCode in unary.ts); append only.
const OP_RELU_SQUARED: u32 = 9u;

const SQRT_2_OVER_PI: f32 = 0.7978845608028654;
const INV_SQRT_2: f32 = 0.7071067811865476;
const INV_SQRT_2PI: f32 = 0.3989422804014327;

fn sigmoid(x: f32) -> f32 {
  // Two branches so exp never overflows.
  if (x >= 0.0) { return 1.0 / (1.0 + exp(-x)); }
  let e = exp(x);
  return e / (1.0 + e);
}

// erf by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7), WGSL has no built-in erf.
fn erf_approx(x: f32) -> f32 {
  let s = sign(x);
  let a = abs(x);
  let t = 1.0 / (1.0 + 0.3275911 * a);
  let poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return s * (1.0 - poly * exp(-a * a));
}

fn softplus(x: f32) -> f32 {
  // PyTorch's threshold: linear above 20, where log1p(exp(x)) == x in f32.
  if (x > 20.0) { return x; }
  return log(1.0 + exp(x));
}

// Built-in sin/cos are not accurate enough on every adapter (SwiftShader is off by 2e-4 even
// inside [−π, π]), so: Cody–Waite reduction to [−π, π], fold to [−π/2, π/2], odd Taylor
// polynomial to x¹⁵ (truncation error < 1e-9 there).
fn sin_precise(x: f32) -> f32 {
  let k = round(x * 0.15915494309189535);
  var r = (x - k * 6.28125) - k * 0.0019353071795864769;
  if (r > 1.5707963267948966) { r = 3.141592653589793 - r; }
  if (r < -1.5707963267948966) { r = -3.141592653589793 - r; }
  let r2 = r * r;
  let p = 1.0 + r2 * (-1.6666666666666666e-1 + r2 * (8.333333333333333e-3 + r2 * (-1.984126984126984e-4
    + r2 * (2.7557319223985893e-6 + r2 * (-2.505210838544172e-8 + r2 * (1.6059043836821613e-10
    + r2 * -7.647163731819816e-13))))));
  return r * p;
}
fn cos_precise(x: f32) -> f32 { return sin_precise(x + 1.5707963267948966); }

fn unary_forward(op: u32, x: f32, alpha: f32) -> f32 {
  switch op {
    case OP_GELU_TANH: {
      let inner = SQRT_2_OVER_PI * (x + 0.044715 * x * x * x);
      return 0.5 * x * (1.0 + tanh(inner));
    }
    case OP_GELU_ERF: { return 0.5 * x * (1.0 + erf_approx(x * INV_SQRT_2)); }
    case OP_SILU: { return x * sigmoid(x); }
    case OP_SIGMOID: { return sigmoid(x); }
    case OP_SOFTPLUS: { return softplus(x); }
    case OP_EXP: { return exp(x); }
    case OP_SIN: { return sin_precise(x); }
    case OP_SCALE: { return alpha * x; }
    case OP_RELU_SQUARED: {
      let r = max(x, 0.0);
      return r * r;
    }
    default: { return x; }
  }
}

// d unary_forward(op, x) / dx
fn unary_derivative(op: u32, x: f32, alpha: f32) -> f32 {
  switch op {
    case OP_GELU_TANH: {
      let inner = SQRT_2_OVER_PI * (x + 0.044715 * x * x * x);
      let th = tanh(inner);
      let dinner = SQRT_2_OVER_PI * (1.0 + 3.0 * 0.044715 * x * x);
      return 0.5 * (1.0 + th) + 0.5 * x * (1.0 - th * th) * dinner;
    }
    case OP_GELU_ERF: {
      return 0.5 * (1.0 + erf_approx(x * INV_SQRT_2)) + x * INV_SQRT_2PI * exp(-0.5 * x * x);
    }
    case OP_SILU: {
      let s = sigmoid(x);
      return s * (1.0 + x * (1.0 - s));
    }
    case OP_SIGMOID: {
      let s = sigmoid(x);
      return s * (1.0 - s);
    }
    case OP_SOFTPLUS: { return sigmoid(x); }
    case OP_EXP: { return exp(x); }
    case OP_SIN: { return cos_precise(x); }
    case OP_SCALE: { return alpha; }
    case OP_RELU_SQUARED: { return 2.0 * max(x, 0.0); }
    default: { return 1.0; }
  }
}
