// Token shift backward: dx[b, t, :] += dy[b, t+1, :] for t < T−1 (the last step feeds nothing).
//   dy, dx: [B, T, D] f32 (flat, N = B·T·D elements).  One invocation per element; accumulates.
// #include "common/index.wgsl"

struct Params { n: u32, t: u32, d: u32 }

@group(0) @binding(0) var<storage, read_write> dy: array<f32>;
@group(0) @binding(1) var<storage, read_write> dx: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

override WG: u32 = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i >= params.n) { return; }
  let t = (i / params.d) % params.t;
  if (t + 1u < params.t) { dx[i] = dx[i] + dy[i + params.d]; }
}
