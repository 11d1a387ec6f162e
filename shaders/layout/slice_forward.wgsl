// A contiguous slice of the last axis:  y[r, j] = x[r, start + j]  for j < size.
// x: [R, W] f32 (R = B·T…, W = the last axis);  y: [R, size] f32.
// One invocation per element of y; 1-D grid spread over x and y (flat_index).
// #include "common/index.wgsl"

struct Params { n: u32, width: u32, start: u32, size: u32 }

@group(0) @binding(0) var<storage, read_write> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> p: Params;

override WG: u32 = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i >= p.n) { return; }
  let j = i % p.size;
  let r = i / p.size;
  y[i] = x[r * p.width + p.start + j];
}
