// Cross-entropy backward: dlogits[n, v] += dloss · (softmax(z_n)[v] − [v = target_n]) / n_scored
// for scored rows; ignored rows get nothing. Softmax is recomputed from the saved logsumexp.
// One invocation per logit (coalesced over v).
//   logits, dlogits: [N, V] f32;  targets: [N] i32;  lse: [N] f32
//   inv_count: [1] f32 (1 / n_scored, from the forward);  dloss: [1] f32
// #include "common/index.wgsl"

struct Params { rows: u32, vocab: u32 }

@group(0) @binding(0) var<storage, read_write> logits: array<f32>;
@group(0) @binding(1) var<storage, read_write> targets: array<i32>;
@group(0) @binding(2) var<storage, read_write> lse: array<f32>;
@group(0) @binding(3) var<storage, read_write> inv_count: array<f32>;
@group(0) @binding(4) var<storage, read_write> dloss: array<f32>;
@group(0) @binding(5) var<storage, read_write> dlogits: array<f32>;
@group(0) @binding(6) var<uniform> params: Params;

override WG: u32 = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i >= params.rows * params.vocab) { return; }
  let row = i / params.vocab;
  let v = i - row * params.vocab;
  let tgt = targets[row];
  if (tgt < 0 || u32(tgt) >= params.vocab) { return; }
  var d = exp(logits[i] - lse[row]);
  if (v == u32(tgt)) { d -= 1.0; }
  dlogits[i] += d * (dloss[0] * inv_count[0]);
}
