// dx += dy · f'(x) elementwise.  x, dy, dx: [N] f32.  Accumulates, like every backward kernel.
// #include "common/index.wgsl"
// #include "common/activations.wgsl"

struct Params { n: u32, alpha: f32 }

@group(0) @binding(0) var<storage, read_write> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> dy: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

override OP: u32 = 0u;
override WG: u32 = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i >= params.n) { return; }
  dx[i] = dx[i] + dy[i] * unary_derivative(OP, x[i], params.alpha);
}
