// Barrier-free 'rows' variant (CPU adapters such as SwiftShader run workgroups as coroutines,
// where barriers are expensive): one invocation per (b, t, h) row streams its keys (queries in
// the dk/dv pass) straight from memory, rotating each on load; the tiled kernel of the same
// math is flash_attention_forward.wgsl.
// Causal (optionally sliding-window) multi-head attention with GPT-NeoX rotary on q and k, fused,
// flash-style forward (docs/protocol.md §4.2, docs/kernels.md "Causal attention"):
//   q, k = rotary(qkv[:, :, 0]), rotary(qkv[:, :, 1]);  v = qkv[:, :, 2]
//   o[b, i, h] = Σ_{j ∈ [i − window, i]} softmax_j(q_i · k_j · scale) v_j
//   qkv:   [B, T, 3, H, HD] f32 (the Linear(d → 3d) output read strided; no split copies)
//   table: [2, T, HD/2] f32 rotary cos/sin
//   o:     [B, T, H, HD] f32 (heads concatenated: [B, T, H·HD] as out_proj reads it)
//   lse:   [B, T, H] f32 per-row log-sum-exp of the scaled scores (saved for backward)
// One invocation per (b, t, h) query row with the rotated q row and the output row in registers
// (16 heads of 8: a 64-wide workgroup covers 4 tokens × 16 heads, reading contiguous k/v rows);
// keys are streamed with an online softmax (running max m, rescaled only when it grows, and sum
// l), so no T×T matrix exists.
// #include "common/index.wgsl"
// #include "attention/flash_attention_common.wgsl"

@group(0) @binding(0) var<storage, read_write> qkv: array<f32>;
@group(0) @binding(1) var<storage, read_write> table: array<f32>;
@group(0) @binding(2) var<storage, read_write> o: array<f32>;
@group(0) @binding(3) var<storage, read_write> lse: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;

override WG: u32 = 64u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let r = flat_index(gid, nwg, WG);
  if (r >= params.rows) { return; }
  let H = params.heads;
  let h = r % H;
  let bt = r / H;
  let i = bt % params.time;
  let seq = bt - i; // b · T
  let stride = 3u * H * HD;
  let q = rotated_row(bt * stride + h * HD, i);
  var acc: array<f32, HD>;
  var m = -3.0e38;
  var l = 0.0;
  for (var j = first_key(i); j <= i; j++) {
    let kb = (seq + j) * stride + (H + h) * HD;
    let k = rotated_row(kb, j);
    var s = 0.0;
    for (var c = 0u; c < HD; c++) { s += q[c] * k[c]; }
    s *= params.scale;
    if (s > m) { // rescale only when the running max grows: one exp per key otherwise
      let corr = exp(m - s);
      l *= corr;
      for (var c = 0u; c < HD; c++) { acc[c] *= corr; }
      m = s;
    }
    let p = exp(s - m);
    l += p;
    let vb = kb + H * HD;
    for (var c = 0u; c < HD; c++) { acc[c] += p * qkv[vb + c]; }
  }
  let inv = 1.0 / l;
  for (var c = 0u; c < HD; c++) { o[r * HD + c] = acc[c] * inv; }
  lse[r] = m + log(l);
}
