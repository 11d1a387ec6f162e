// Causal (optionally sliding-window) multi-head attention with GPT-NeoX rotary on q and k, fused,
// flash-style forward (docs/protocol.md §4.2, docs/kernels.md "Causal attention"):
//   q, k = rotary(qkv[:, :, 0]), rotary(qkv[:, :, 1]);  v = qkv[:, :, 2]
//   o[b, i, h] = Σ_{j ∈ [i − window, i]} softmax_j(q_i · k_j · scale) v_j
//   qkv:   [B, T, 3, H, HD] f32 (the Linear(d → 3d) output read strided; no split copies)
//   table: [2, T, HD/2] f32 rotary cos/sin
//   o:     [B, T, H, HD] f32 (heads concatenated: [B, T, H·HD], as out_proj reads it)
//   lse:   [B, T, H] f32 per-row log-sum-exp of the scaled scores (saved for backward)
// A workgroup takes RB = WG/HG query rows × HG heads (see flash_attention_common.wgsl); each
// invocation keeps its rotated q row and output row in registers. Keys stream through
// workgroup memory in tiles of KB rows (k rotated once per tile) with an online softmax (running
// max m, rescaled only when it grows, and sum l), so no T×T matrix exists anywhere.
// #include "common/index.wgsl"
// #include "attention/flash_attention_common.wgsl"
// #include "attention/flash_attention_kv_tile.wgsl"

@group(0) @binding(0) var<storage, read_write> qkv: array<f32>;
@group(0) @binding(1) var<storage, read_write> table: array<f32>;
@group(0) @binding(2) var<storage, read_write> o: array<f32>;
@group(0) @binding(3) var<storage, read_write> lse: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;

override WG: u32 = 64u; // RB · HG

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let rows = WG / HG;
  let blk = block_of(wid, nwg, rows);
  if (!blk.ok) { return; }
  let H = params.heads;
  let hl = lid % HG;
  let i = blk.r0 + lid / HG;
  let h = blk.h0 + hl;
  let valid = i < params.time;
  var q: array<f32, HD>;
  if (valid) { q = rotated_row((blk.seq + i) * 3u * H * HD + h * HD, i); }
  var acc: array<f32, HD>;
  var m = -3.0e38;
  var l = 0.0;
  let key_end = min(params.time, blk.r0 + rows);
  for (var t0 = first_key(blk.r0); t0 < key_end; t0 += KB) {
    load_kv_tile(blk.seq, blk.h0, t0, lid);
    workgroupBarrier();
    if (valid) {
      let j_end = min(t0 + KB, i + 1u);
      for (var j = max(t0, first_key(i)); j < j_end; j++) {
        let at = ((j - t0) * HG + hl) * HD;
        var s = 0.0;
        for (var c = 0u; c < HD; c++) { s += q[c] * k_tile[at + c]; }
        s *= params.scale;
        if (s > m) {
          let corr = exp(m - s);
          l *= corr;
          for (var c = 0u; c < HD; c++) { acc[c] *= corr; }
          m = s;
        }
        let p = exp(s - m);
        l += p;
        for (var c = 0u; c < HD; c++) { acc[c] += p * v_tile[at + c]; }
      }
    }
    workgroupBarrier();
  }
  if (valid) {
    let r = (blk.seq + i) * H + h;
    let inv = 1.0 / l;
    for (var c = 0u; c < HD; c++) { o[r * HD + c] = acc[c] * inv; }
    lse[r] = m + log(l);
  }
}
