// Delta rule, backward pass 2: unpacks the packed gradient rows of delta_rule_backward.wgsl
// [dq (dk) | dk (dk) | dv (dv) | dβ | d log α] into the inputs' gradients (docs/kernels.md
// "Delta rule"). One invocation per value of a packed row; flags skip inputs without a gradient.
// #include "common/index.wgsl"

@group(0) @binding(0) var<storage, read_write> grads: array<f32>;
@group(0) @binding(1) var<storage, read_write> dq: array<f32>;
@group(0) @binding(2) var<storage, read_write> dk: array<f32>;
@group(0) @binding(3) var<storage, read_write> dv: array<f32>;
@group(0) @binding(4) var<storage, read_write> dbeta: array<f32>;
@group(0) @binding(5) var<storage, read_write> dlog_alpha: array<f32>;
@group(0) @binding(6) var<uniform> p: DeltaParams;

// #include "scan/delta_rule_common.wgsl"

override WG: u32 = 256u;

fn wants(bit: u32) -> bool {
  return (p.want & bit) != 0u;
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let e = flat_index(gid, nwg, WG);
  let W = p.grad_width;
  let rows = p.batch * p.t_len * p.heads;
  if (e >= rows * W) { return; }
  let r = e / W;
  let c = e % W;
  let g = grads[e];
  let dk_ = p.dk;
  if (c < dk_) {
    if (wants(1u)) { dq[r * dk_ + c] += g; }
  } else if (c < 2u * dk_) {
    if (wants(2u)) { dk[r * dk_ + c - dk_] += g; }
  } else if (c < 2u * dk_ + p.dv) {
    if (wants(4u)) { dv[r * p.dv + c - 2u * dk_] += g; }
  } else if (c == 2u * dk_ + p.dv) {
    if (wants(8u)) { dbeta[r] += g; }
  } else {
    if (wants(16u)) { dlog_alpha[r] += g; }
  }
}
