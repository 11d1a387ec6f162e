// Backward of flash_attention_forward.wgsl, pass 2 of 2 (dk, dv; after
// flash_attention_backward_dq.wgsl, which writes Δ = rowsum(dO ∘ O)), key-major, recomputing
// P = exp(q_i·k_j·scale − lse_i) from the saved log-sum-exp:
//   dS = P ∘ (dO_i·v_j − Δ_i);  dk_j = scale Σ_i dS q_i (rotated back by −θ_j);  dv_j = Σ_i P dO_i
// over the queries that see key j: i = j … j + window. ACCUMULATES into dqkv.
//   qkv, dqkv: [B, T, 3, H, HD] f32;  table: [2, T, HD/2] f32
//   dout: [B, T, H, HD] f32;  lse, delta: [B, T, H] f32
// A workgroup takes RB = WG/HG key rows × HG heads, each invocation keeping its k, v, dk, dv rows
// in registers; queries stream through workgroup memory in tiles of KB rows (q rotated once per
// tile, with their dO rows, log-sum-exp and Δ).
// #include "common/index.wgsl"
// #include "attention/flash_attention_common.wgsl"
// #include "attention/flash_attention_backward_common.wgsl"

@group(0) @binding(0) var<storage, read_write> qkv: array<f32>;
@group(0) @binding(1) var<storage, read_write> table: array<f32>;
@group(0) @binding(2) var<storage, read_write> lse: array<f32>;
@group(0) @binding(3) var<storage, read_write> dout: array<f32>;
@group(0) @binding(4) var<storage, read_write> delta: array<f32>;
@group(0) @binding(5) var<storage, read_write> dqkv: array<f32>;
@group(0) @binding(6) var<uniform> params: Params;

override WG: u32 = 64u; // RB · HG

var<workgroup> q_tile: array<f32, KB * HG * HD>;
var<workgroup> do_tile: array<f32, KB * HG * HD>;
var<workgroup> lse_tile: array<f32, KB * HG>;
var<workgroup> delta_tile: array<f32, KB * HG>;

fn load_query_tile(seq: u32, h0: u32, t0: u32, lid: u32) {
  let H = params.heads;
  let stride = 3u * H * HD;
  for (var e = lid; e < KB * HG * HALF; e += WG) {
    let ii = e / (HG * HALF);
    let rem = e - ii * (HG * HALF);
    let hl = rem / HALF;
    let c = rem - hl * HALF;
    let i = t0 + ii;
    if (i < params.time) {
      let src = (seq + i) * stride + (h0 + hl) * HD + c;
      let cs = table[i * HALF + c];
      let sn = table[(params.time + i) * HALF + c];
      let a = qkv[src];
      let b = qkv[src + HALF];
      let dst = (ii * HG + hl) * HD + c;
      q_tile[dst] = a * cs - b * sn;
      q_tile[dst + HALF] = b * cs + a * sn;
    }
  }
  for (var e = lid; e < KB * HG * HD; e += WG) {
    let ii = e / (HG * HD);
    let i = t0 + ii;
    if (i < params.time) { do_tile[e] = dout[((seq + i) * H + h0) * HD + (e - ii * HG * HD)]; }
  }
  for (var e = lid; e < KB * HG; e += WG) {
    let ii = e / HG;
    let i = t0 + ii;
    if (i < params.time) {
      let r = (seq + i) * H + h0 + (e - ii * HG);
      lse_tile[e] = lse[r];
      delta_tile[e] = delta[r];
    }
  }
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let rows = WG / HG;
  let blk = block_of(wid, nwg, rows);
  if (!blk.ok) { return; }
  let H = params.heads;
  let hl = lid % HG;
  let j = blk.r0 + lid / HG;
  let h = blk.h0 + hl;
  let valid = j < params.time;
  let kb = (blk.seq + j) * 3u * H * HD + (H + h) * HD;
  let vb = kb + H * HD;
  var k: array<f32, HD>;
  var v: array<f32, HD>;
  if (valid) {
    k = rotated_row(kb, j);
    for (var c = 0u; c < HD; c++) { v[c] = qkv[vb + c]; }
  }
  var dk: array<f32, HD>;
  var dv: array<f32, HD>;
  let win = min(params.window, params.time);
  let query_end = min(params.time, blk.r0 + rows + win); // last key row + window, exclusive
  for (var t0 = blk.r0; t0 < query_end; t0 += KB) {
    load_query_tile(blk.seq, blk.h0, t0, lid);
    workgroupBarrier();
    if (valid) {
      let i_end = min(min(t0 + KB, j + win + 1u), params.time);
      for (var i = max(t0, j); i < i_end; i++) {
        let a = (i - t0) * HG + hl;
        let at = a * HD;
        var s = 0.0;
        var dp = 0.0;
        for (var c = 0u; c < HD; c++) {
          s += q_tile[at + c] * k[c];
          dp += do_tile[at + c] * v[c];
        }
        let p = exp(s * params.scale - lse_tile[a]);
        let ds = p * (dp - delta_tile[a]);
        for (var c = 0u; c < HD; c++) {
          dv[c] += p * do_tile[at + c];
          dk[c] += ds * q_tile[at + c];
        }
      }
    }
    workgroupBarrier();
  }
  if (valid) {
    for (var c = 0u; c < HD; c++) {
      dk[c] *= params.scale;
      dqkv[vb + c] += dv[c];
    }
    add_unrotated(kb, j, dk);
  }
}
