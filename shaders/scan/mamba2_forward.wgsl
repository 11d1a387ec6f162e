// Mamba-2 scan, forward pass 3: every chunk rescanned from its true carry-in (pass 2), writing
//   y_t[c] = Σ_n C_t[q,n]·h_t[c,n] + D_h·x_t[c].
// Rescanning from the carry keeps memory at the chunk boundaries only.
// xbc: [B, T, S];  Δ: [B, T, H];  states: coef and the h carries;  y: [B, T, C]
// (mamba2_common.wgsl).  One invocation per (b, k, c); 1-D grid (flat_index).
// #include "common/index.wgsl"

@group(0) @binding(0) var<storage, read_write> xbc: array<f32>;
@group(0) @binding(1) var<storage, read_write> delta: array<f32>;
@group(0) @binding(2) var<storage, read_write> states: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<uniform> p: Mamba2Params;

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
  let dskip = states[2u * hd + 1u];
  var h: array<f32, MAX_N>;
  for (var n = 0u; n < N; n = n + 1u) { h[n] = states[p.h_off + i * N + n]; }
  let t0 = k * p.chunk;
  let t1 = min(t0 + p.chunk, p.t_len);
  for (var t = t0; t < t1; t = t + 1u) {
    let row = b * p.t_len + t;
    let xv = xbc[x_at(row, c)];
    let d = delta[row * p.heads + hd];
    let a = exp(d * A);
    var acc = dskip * xv;
    for (var n = 0u; n < N; n = n + 1u) {
      h[n] = a * h[n] + d * xv * xbc[b_at(row, q, n)];
      acc = acc + xbc[c_at(row, q, n)] * h[n];
    }
    y[row * C + c] = acc;
  }
}
