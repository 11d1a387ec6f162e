// AdamW over the one flat parameter buffer, exactly as torch.optim.AdamW (default, non-fused,
// non-amsgrad; docs/protocol.md §6, docs/kernels.md), in one dispatch, phase 'update':
//   p ← p · (1 − lr·wd)
//   m ← lerp(m, g, 1 − β1) = m + (1 − β1)(g − m)
//   v ← v·β2 + (1 − β2)·g²
//   p ← p − step_size · m / (√v / √(1 − β2^t) + eps),  step_size = lr / (1 − β1^t)
// Bindings (P = all parameters, padding included; P is a multiple of 64, so vec4 is exact):
//   param, grad, m, v: [P/4] vec4<f32> — the param pool, the paramGrad pool (same offsets),
//   and the optimizer moments that mirror it.
// #include "common/index.wgsl"
// #include "optim/step_uniform.wgsl"

struct Params { n4: u32, one_minus_beta1: f32, beta2: f32, one_minus_beta2: f32, eps: f32 }

@group(0) @binding(0) var<storage, read_write> param: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> grad: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> m: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> v: array<vec4<f32>>;
@group(0) @binding(4) var<uniform> params: Params;
@group(0) @binding(5) var<uniform> per_step: StepUniform;

override WG: u32 = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i >= params.n4) { return; }
  let g = grad[i];
  let p = param[i] * per_step.decay;
  let m_old = m[i];
  let m_new = m_old + params.one_minus_beta1 * (g - m_old);
  let v_new = v[i] * params.beta2 + params.one_minus_beta2 * (g * g);
  let denom = sqrt(v_new) / per_step.bias_correction2_sqrt + params.eps;
  m[i] = m_new;
  v[i] = v_new;
  param[i] = p - per_step.step_size * (m_new / denom);
}
