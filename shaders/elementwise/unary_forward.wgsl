// y = f(x) elementwise.  x, y: [N] f32.  f is chosen by the override OP (activations.wgsl codes).
// #include "common/index.wgsl"
// #include "common/activations.wgsl"

struct Params { n: u32, alpha: f32 }

@group(0) @binding(0) var<storage, read_write> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

override OP: u32 = 0u;
override WG: u32 = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i >= params.n) { return; }
  y[i] = unary_forward(OP, x[i], params.alpha);
}
