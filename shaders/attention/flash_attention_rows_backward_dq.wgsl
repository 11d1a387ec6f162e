// Barrier-free 'rows' variant (CPU adapters such as SwiftShader run workgroups as coroutines,
// where barriers are expensive): one invocation per (b, t, h) row streams its keys (queries in
// the dk/dv pass) straight from memory, rotating each on load; the tiled kernel of the same
// math is flash_attention_backward_dq.wgsl.
// Backward of flash_attention_rows_forward.wgsl, pass 1 of 2 (dq; flash_attention_rows_backward_dkv.wgsl is pass 2),
// recomputing the probabilities from the saved log-sum-exp (no stored T×T matrix, no float atomics):
//   P = exp(q_i·k_j·scale − lse_i);  Δ_i = Σ_c dO_i ∘ O_i;  dS = P ∘ (dO_i·v_j − Δ_i)
//   dq_i = scale Σ_j dS k_j   (flash_attention_rows_backward_dq.wgsl: query-major, one invocation per (b, i, h); writes Δ)
//   dk_j = scale Σ_i dS q_i,  dv_j = Σ_i P dO_i   (flash_attention_rows_backward_dkv.wgsl: key-major, one invocation per (b, j, h); reads Δ)
// q and k are the rotated rows; their gradients are rotated back by −θ before being written.
// The dq pass runs first. Both ACCUMULATE into dqkv (dqkv += …).
//   qkv, dqkv: [B, T, 3, H, HD] f32;  table: [2, T, HD/2] f32
//   o, dout:   [B, T, H, HD] f32;     lse, delta: [B, T, H] f32
// #include "common/index.wgsl"
// #include "attention/flash_attention_common.wgsl"
// #include "attention/flash_attention_backward_common.wgsl"

override WG: u32 = 64u;

// ---- dq (query-major) -------------------------------------------------------------------------

@group(0) @binding(0) var<storage, read_write> qkv: array<f32>;
@group(0) @binding(1) var<storage, read_write> table: array<f32>;
@group(0) @binding(2) var<storage, read_write> o: array<f32>;
@group(0) @binding(3) var<storage, read_write> lse: array<f32>;
@group(0) @binding(4) var<storage, read_write> dout: array<f32>;
@group(0) @binding(5) var<storage, read_write> delta: array<f32>;
@group(0) @binding(6) var<storage, read_write> dqkv: array<f32>;
@group(0) @binding(7) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let r = flat_index(gid, nwg, WG);
  if (r >= params.rows) { return; }
  let H = params.heads;
  let h = r % H;
  let bt = r / H;
  let i = bt % params.time;
  let seq = bt - i;
  let stride = 3u * H * HD;
  let qb = bt * stride + h * HD;
  let q = rotated_row(qb, i);
  var dO: array<f32, HD>;
  var dlt = 0.0;
  for (var c = 0u; c < HD; c++) {
    dO[c] = dout[r * HD + c];
    dlt += dO[c] * o[r * HD + c];
  }
  delta[r] = dlt;
  let L = lse[r];
  var dq: array<f32, HD>;
  for (var j = first_key(i); j <= i; j++) {
    let kb = (seq + j) * stride + (H + h) * HD;
    let k = rotated_row(kb, j);
    let vb = kb + H * HD;
    var s = 0.0;
    var dp = 0.0;
    for (var c = 0u; c < HD; c++) {
      s += q[c] * k[c];
      dp += dO[c] * qkv[vb + c];
    }
    let ds = exp(s * params.scale - L) * (dp - dlt);
    for (var c = 0u; c < HD; c++) { dq[c] += ds * k[c]; }
  }
  for (var c = 0u; c < HD; c++) { dq[c] *= params.scale; }
  add_unrotated(qb, i, dq);
}

