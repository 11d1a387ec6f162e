// Mamba-2 scan pass 2 (forward and backward): the short sequential scan over chunk carries,
// one invocation per (b, c, n), K = ⌈T / chunk⌉ steps, from s = 0:
//   forward (reverse = 0):  carry[k] = s;  s = prod[k, h]·s + end[k]   for k = 0 … K−1
//   backward (reverse = 1): carry[k] = s;  s = prod[k, h]·s + end[k]   for k = K−1 … 0
// carry[k] is what enters chunk k: forward, h before its first step; backward, a_{t+1}·g_{t+1}
// arriving at its last step. Written to the h carries (forward) or g carries (backward) of
// states (mamba2_common.wgsl).  end: [B, K, C, N];  prod: [B, K, H].  1-D grid (flat_index).
// #include "common/index.wgsl"

@group(0) @binding(0) var<storage, read_write> end_state: array<f32>;
@group(0) @binding(1) var<storage, read_write> prod: array<f32>;
@group(0) @binding(2) var<storage, read_write> states: array<f32>;
@group(0) @binding(3) var<uniform> p: Mamba2Params;

// #include "scan/mamba2_common.wgsl"

override WG: u32 = 64u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  let cn_size = c_dim() * p.n_state;
  if (i >= p.batch * cn_size) { return; }
  let cn = i % cn_size;
  let b = i / cn_size;
  let hd = cn / (p.n_state * p.headdim);
  var s = 0.0;
  let out_off = select(p.h_off, p.g_off, p.reverse == 1u);
  for (var step = 0u; step < p.n_chunks; step = step + 1u) {
    var k = step;
    if (p.reverse == 1u) { k = p.n_chunks - 1u - step; }
    let o = (b * p.n_chunks + k) * cn_size + cn;
    states[out_off + o] = s;
    s = prod[(b * p.n_chunks + k) * p.heads + hd] * s + end_state[o];
  }
}
