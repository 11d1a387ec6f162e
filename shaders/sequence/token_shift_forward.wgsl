// Token shift (RWKV): y[b, t, :] = x[b, t−1, :] for t ≥ 1, y[b, 0, :] = 0.
//   x, y: [B, T, D] f32 (flat, N = B·T·D elements).  One invocation per element.
// #include "common/index.wgsl"

struct Params { n: u32, t: u32, d: u32 }

@group(0) @binding(0) var<storage, read_write> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

override WG: u32 = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i >= params.n) { return; }
  let t = (i / params.d) % params.t;
  var v = 0.0;
  if (t > 0u) { v = x[i - params.d]; }
  y[i] = v;
}
