// Backward of flash_attention_forward.wgsl, pass 1 of 2 (dq; flash_attention_backward_dkv.wgsl is
// pass 2), recomputing the probabilities from the saved log-sum-exp (no stored T×T matrix, no
// float atomics):
//   P = exp(q_i·k_j·scale − lse_i);  Δ_i = Σ_c dO_i ∘ O_i;  dS = P ∘ (dO_i·v_j − Δ_i)
//   dq_i = scale Σ_j dS k_j   (this pass: query-major like the forward; also writes Δ)
//   dk_j = scale Σ_i dS q_i,  dv_j = Σ_i P dO_i   (pass 2: key-major, reads Δ)
// q and k are the rotated rows; their gradients are rotated back by −θ before being added.
// Both passes ACCUMULATE into dqkv (dqkv += …).
//   qkv, dqkv: [B, T, 3, H, HD] f32;  table: [2, T, HD/2] f32
//   o, dout:   [B, T, H, HD] f32;     lse, delta: [B, T, H] f32
// Work split and key tiles as in the forward.
// #include "common/index.wgsl"
// #include "attention/flash_attention_common.wgsl"
// #include "attention/flash_attention_kv_tile.wgsl"
// #include "attention/flash_attention_backward_common.wgsl"

@group(0) @binding(0) var<storage, read_write> qkv: array<f32>;
@group(0) @binding(1) var<storage, read_write> table: array<f32>;
@group(0) @binding(2) var<storage, read_write> o: array<f32>;
@group(0) @binding(3) var<storage, read_write> lse: array<f32>;
@group(0) @binding(4) var<storage, read_write> dout: array<f32>;
@group(0) @binding(5) var<storage, read_write> delta: array<f32>;
@group(0) @binding(6) var<storage, read_write> dqkv: array<f32>;
@group(0) @binding(7) var<uniform> params: Params;

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
  let r = (blk.seq + i) * H + h;
  let qb = (blk.seq + i) * 3u * H * HD + h * HD;
  var q: array<f32, HD>;
  var dO: array<f32, HD>;
  var dlt = 0.0;
  var L = 0.0;
  if (valid) {
    q = rotated_row(qb, i);
    for (var c = 0u; c < HD; c++) {
      dO[c] = dout[r * HD + c];
      dlt += dO[c] * o[r * HD + c];
    }
    delta[r] = dlt;
    L = lse[r];
  }
  var dq: array<f32, HD>;
  let key_end = min(params.time, blk.r0 + rows);
  for (var t0 = first_key(blk.r0); t0 < key_end; t0 += KB) {
    load_kv_tile(blk.seq, blk.h0, t0, lid);
    workgroupBarrier();
    if (valid) {
      let j_end = min(t0 + KB, i + 1u);
      for (var j = max(t0, first_key(i)); j < j_end; j++) {
        let at = ((j - t0) * HG + hl) * HD;
        var s = 0.0;
        var dp = 0.0;
        for (var c = 0u; c < HD; c++) {
          s += q[c] * k_tile[at + c];
          dp += dO[c] * v_tile[at + c];
        }
        let ds = exp(s * params.scale - L) * (dp - dlt);
        for (var c = 0u; c < HD; c++) { dq[c] += ds * k_tile[at + c]; }
      }
    }
    workgroupBarrier();
  }
  if (valid) {
    for (var c = 0u; c < HD; c++) { dq[c] *= params.scale; }
    add_unrotated(qb, i, dq);
  }
}
