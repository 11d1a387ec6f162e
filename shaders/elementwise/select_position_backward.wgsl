// dx[b, p, d] += dy[b, d]: the gradient of select_position_forward, accumulated like every backward
// kernel; the other positions of dx are left as they are (their gradient from this op is 0).
// dy: [B, D] f32, dx: [B, T, D] f32; p (< T) in the uniform. One invocation per element of dy, so
// every element of dx is written by at most one invocation (no atomics needed).
// #include "common/index.wgsl"

struct Params { n: u32, t: u32, d: u32, p: u32 }

@group(0) @binding(0) var<storage, read_write> dy: array<f32>;
@group(0) @binding(1) var<storage, read_write> dx: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

override WG: u32 = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i >= params.n) { return; }
  let b = i / params.d;
  let c = i % params.d;
  let j = (b * params.t + params.p) * params.d + c;
  dx[j] = dx[j] + dy[i];
}
