// Backward of a sum (or mean) over the last axis: the row's gradient broadcast back over it.
//   dx[row, d] += scale · dy[row]      dy: [N] (the [..., 1] result's gradient), dx: [N, D] f32
// scale is 1 for sums and 1/D for means. One invocation per element of dx.
// #include "common/index.wgsl"

struct Params { n: u32, d: u32, scale: f32, _pad: u32 }

@group(0) @binding(0) var<storage, read_write> dy: array<f32>;
@group(0) @binding(1) var<storage, read_write> dx: array<f32>;
@group(0) @binding(2) var<uniform> p: Params;

override WG: u32 = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i >= p.n) { return; }
  dx[i] = dx[i] + p.scale * dy[i / p.d];
}
