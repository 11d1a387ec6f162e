// MoE gate (mad-lab MoeMlp): per row, scores strictly below the k-th largest are replaced by 0
// (not −∞), then softmax over all E.  Score e is kept iff fewer than k scores are strictly
// greater than it — exactly torch's `scores < topk(scores, k).values[..., -1:]` mask, so ties at
// the k-th value are all kept.
//   scores: [N, E] f32    gate: [N, E] f32 (N = B·T rows).  One invocation per row; E is small.
// #include "common/index.wgsl"

struct Params { n: u32, e: u32, k: u32 }

@group(0) @binding(0) var<storage, read_write> scores: array<f32>;
@group(0) @binding(1) var<storage, read_write> gate: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

override WG: u32 = 64u;

fn masked_score(base: u32, e: u32) -> f32 {
  let s = scores[base + e];
  var greater = 0u;
  for (var j = 0u; j < params.e; j++) {
    if (scores[base + j] > s) { greater++; }
  }
  if (greater < params.k) { return s; }
  return 0.0;
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let row = flat_index(gid, nwg, WG);
  if (row >= params.n) { return; }
  let base = row * params.e;
  // Masked scores go to `gate` first, then are normalised in place.
  var m = -3.4e38;
  for (var e = 0u; e < params.e; e++) {
    let v = masked_score(base, e);
    gate[base + e] = v;
    m = max(m, v);
  }
  var z = 0.0;
  for (var e = 0u; e < params.e; e++) {
    let p = exp(gate[base + e] - m);
    gate[base + e] = p;
    z += p;
  }
  let inv = 1.0 / z;
  for (var e = 0u; e < params.e; e++) { gate[base + e] = gate[base + e] * inv; }
}
