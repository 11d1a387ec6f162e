// MoE gate backward: through the softmax, then the mask (a masked score was replaced by the
// constant 0, so it gets no gradient):
//   dscores[n, e] += kept(n, e) · g[n, e] · (dg[n, e] − Σ_j g[n, j] · dg[n, j])
//   scores, gate, dgate, dscores: [N, E] f32.  One invocation per row; accumulates.
// #include "common/index.wgsl"

struct Params { n: u32, e: u32, k: u32 }

@group(0) @binding(0) var<storage, read_write> scores: array<f32>;
@group(0) @binding(1) var<storage, read_write> gate: array<f32>;
@group(0) @binding(2) var<storage, read_write> dgate: array<f32>;
@group(0) @binding(3) var<storage, read_write> dscores: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;

override WG: u32 = 64u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let row = flat_index(gid, nwg, WG);
  if (row >= params.n) { return; }
  let base = row * params.e;
  var dot = 0.0;
  for (var e = 0u; e < params.e; e++) { dot += gate[base + e] * dgate[base + e]; }
  for (var e = 0u; e < params.e; e++) {
    let s = scores[base + e];
    var greater = 0u;
    for (var j = 0u; j < params.e; j++) {
      if (scores[base + j] > s) { greater++; }
    }
    if (greater < params.k) {
      dscores[base + e] = dscores[base + e] + gate[base + e] * (dgate[base + e] - dot);
    }
  }
}
