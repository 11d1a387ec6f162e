// Selective scan, forward pass 3: every chunk rescanned from its true carry-in (pass 2), writing
//   y_t[c] = Σ_n C_t[n]·h_t[c,n] + D[c]·x_t[c].
// Rescanning from the carry (rather than storing local states and adding cumulative-a × carry)
// keeps memory at the chunk boundaries only.
// x, Δ, y: [B, T, Dc];  bc: [B, T, S];  states: coef and the h carries (selective_scan_common.wgsl).
// One invocation per (b, k, c); 1-D grid (flat_index).
// #include "common/index.wgsl"

@group(0) @binding(0) var<storage, read_write> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> delta: array<f32>;
@group(0) @binding(2) var<storage, read_write> bc: array<f32>;
@group(0) @binding(3) var<storage, read_write> states: array<f32>;
@group(0) @binding(4) var<storage, read_write> y: array<f32>;
@group(0) @binding(5) var<uniform> p: ScanParams;

// #include "scan/selective_scan_common.wgsl"

override WG: u32 = 64u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i >= p.batch * p.n_chunks * p.c_dim) { return; }
  let c = i % p.c_dim;
  let bk = i / p.c_dim;
  let k = bk % p.n_chunks;
  let b = bk / p.n_chunks;
  let N = p.n_state;
  var a_c: array<f32, MAX_N>;
  var h: array<f32, MAX_N>;
  for (var n = 0u; n < N; n = n + 1u) {
    a_c[n] = states[c * (N + 1u) + n];
    h[n] = states[p.h_off + i * N + n];
  }
  let dc = states[c * (N + 1u) + N];
  let t0 = k * p.chunk;
  let t1 = min(t0 + p.chunk, p.t_len);
  for (var t = t0; t < t1; t = t + 1u) {
    let row = b * p.t_len + t;
    let xv = x[row * p.c_dim + c];
    let d = delta[row * p.c_dim + c];
    var acc = dc * xv;
    for (var n = 0u; n < N; n = n + 1u) {
      h[n] = exp(d * a_c[n]) * h[n] + d * xv * bc[b_at(row, n)];
      acc = acc + bc[c_at(row, n)] * h[n];
    }
    y[row * p.c_dim + c] = acc;
  }
}
