// y[b, d] = x[b, p, d]: one position of every sequence (the AutoEncoder's last-position pooling).
// x: [B, T, D] f32, y: [B, D] f32; p (< T) in the uniform. One invocation per output element.
// #include "common/index.wgsl"

struct Params { n: u32, t: u32, d: u32, p: u32 }

@group(0) @binding(0) var<storage, read_write> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

override WG: u32 = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i >= params.n) { return; }
  let b = i / params.d;
  let c = i % params.d;
  y[i] = x[(b * params.t + params.p) * params.d + c];
}
