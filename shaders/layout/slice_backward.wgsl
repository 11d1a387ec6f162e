// Gradient of the last-axis slice; accumulates:  dx[r, start + j] += dy[r, j]  for j < size.
// Columns of dx outside the slice are untouched (other slices add theirs).
// dy: [R, size] f32;  dx: [R, W] f32.  One invocation per element of dy (flat_index grid).
// #include "common/index.wgsl"

struct Params { n: u32, width: u32, start: u32, size: u32 }

@group(0) @binding(0) var<storage, read_write> dy: array<f32>;
@group(0) @binding(1) var<storage, read_write> dx: array<f32>;
@group(0) @binding(2) var<uniform> p: Params;

override WG: u32 = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i >= p.n) { return; }
  let j = i % p.size;
  let r = i / p.size;
  let o = r * p.width + p.start + j;
  dx[o] = dx[o] + dy[i];
}
