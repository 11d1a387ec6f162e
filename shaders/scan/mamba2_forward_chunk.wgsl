// Mamba-2 scan, forward pass 1: every chunk's local scan from h = 0, in parallel over
// (b, chunk k, channel c = h·P + p):
//   end[b,k,c,n] = h after the chunk's last step, starting from 0 before its first step
//   prod[b,k,h]  = Π_{t in chunk k} a_t[h]   (written by the head's channel p = 0)
// xbc: [B, T, S];  Δ: [B, T, H];  states: coef at 0;  end: [B, K, C, N];  prod: [B, K, H]
// (mamba2_common.wgsl).  One invocation per (b, k, c); 1-D grid (flat_index).
// #include "common/index.wgsl"

@group(0) @binding(0) var<storage, read_write> xbc: array<f32>;
@group(0) @binding(1) var<storage, read_write> delta: array<f32>;
@group(0) @binding(2) var<storage, read_write> states: array<f32>;
@group(0) @binding(3) var<storage, read_write> end_state: array<f32>;
@group(0) @binding(4) var<storage, read_write> prod: array<f32>;
@group(0) @binding(5) var<uniform> p: Mamba2Params;

// #include "scan/mamba2_common.wgsl"

override WG: u32 = 64u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  let C = c_dim();
  if (i >= p.batch * p.n_chunks * C) { return; }
  let c = i % C;
  let bk = i / C;
  let k = bk % p.n_chunks;
  let b = bk / p.n_chunks;
  let hd = c / p.headdim;
  let q = group_of(hd);
  let N = p.n_state;
  let A = states[2u * hd];
  var h: array<f32, MAX_N>;
  for (var n = 0u; n < N; n = n + 1u) { h[n] = 0.0; }
  var pr = 1.0;
  let t0 = k * p.chunk;
  let t1 = min(t0 + p.chunk, p.t_len);
  for (var t = t0; t < t1; t = t + 1u) {
    let row = b * p.t_len + t;
    let d = delta[row * p.heads + hd];
    let a = exp(d * A);
    let dxv = d * xbc[x_at(row, c)];
    for (var n = 0u; n < N; n = n + 1u) {
      h[n] = a * h[n] + dxv * xbc[b_at(row, q, n)];
    }
    pr = pr * a;
  }
  let o = i * N;
  for (var n = 0u; n < N; n = n + 1u) { end_state[o + n] = h[n]; }
  if (c % p.headdim == 0u) { prod[bk * p.heads + hd] = pr; }
}
