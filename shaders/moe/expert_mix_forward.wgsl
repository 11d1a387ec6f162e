// Expert-weighted sum (mad-lab MoeMlp output): y[n, c] = Σ_e z[n, c·E + e] · gate[n, e]
// (the expert axis is the fastest in z).
//   z: [N, D·E] f32    gate: [N, E] f32    y: [N, D] f32 (N = B·T).  One invocation per y element.
// #include "common/index.wgsl"

struct Params { n: u32, d: u32, e: u32 }

@group(0) @binding(0) var<storage, read_write> z: array<f32>;
@group(0) @binding(1) var<storage, read_write> gate: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

override WG: u32 = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i >= params.n * params.d) { return; }
  let row = i / params.d;
  let zb = i * params.e; // (row·D + c)·E
  let gb = row * params.e;
  var acc = 0.0;
  for (var e = 0u; e < params.e; e++) { acc += z[zb + e] * gate[gb + e]; }
  y[i] = acc;
}
