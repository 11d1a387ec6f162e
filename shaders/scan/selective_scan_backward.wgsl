// Selective scan, backward pass 3: per (b, chunk k, block of WG channels), one invocation per
// channel. Recomputes h inside the chunk from its boundary state (a private history of
// chunk·N floats), then walks the chunk backwards from the true carry g_in (pass 2) with
//   g_t = C_t·dy_t + a_{t+1}·g_{t+1}
// and produces (docs/kernels.md):
//   dx_t[c] += Σ_n g_t Δ_t B_t[n] + D[c] dy_t[c]                         (in place)
//   dΔ_t[c] += Σ_n g_t (h_{t−1} a_t A + B_t[n] x_t[c])                   (in place)
//   part_bc[row, blk, n]     = Σ_{c in blk} g_t Δ_t x_t        (→ dB_t[n]) → work[0 + …]
//   part_bc[row, blk, N + n] = Σ_{c in blk} dy_t[c] h_t[c,n]   (→ dC_t[n])
//   part_ad[b·K+k, c·(N+1)+n] = Σ_{t in chunk} g_t h_{t−1} a_t Δ_t  (→ dA) → work[ad_off + …]
//   part_ad[b·K+k, c·(N+1)+N] = Σ_{t in chunk} dy_t x_t               (→ dD)
// Sums over channels are a fixed-order tree in workgroup memory; selective_scan_backward_bc.wgsl
// and _backward_params.wgsl finish the rest in a fixed order: deterministic, no atomics.
// x, Δ, dy, dx, dΔ: [B, T, Dc];  bc: [B, T, S];  states: coef, h and g carries
// (selective_scan_common.wgsl);  work: [part_bc: B·T·n_cblocks·2N | part_ad: B·K·Dc·(N+1)].
// Grid: one workgroup per (b, k, blk), 1-D over x and y.  WG a power of two ≥ 2N, WG·2N ≤ RED_CAP,
// chunk·N ≤ HIST_CAP.
// #include "common/index.wgsl"

@group(0) @binding(0) var<storage, read_write> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> delta: array<f32>;
@group(0) @binding(2) var<storage, read_write> bc: array<f32>;
@group(0) @binding(3) var<storage, read_write> states: array<f32>;
@group(0) @binding(4) var<storage, read_write> dy: array<f32>;
@group(0) @binding(5) var<storage, read_write> dx: array<f32>;
@group(0) @binding(6) var<storage, read_write> ddelta: array<f32>;
@group(0) @binding(7) var<storage, read_write> work: array<f32>;
@group(0) @binding(8) var<uniform> p: ScanParams;

// #include "scan/selective_scan_common.wgsl"

override WG: u32 = 64u;

var<workgroup> red: array<f32, RED_CAP>;

@compute @workgroup_size(WG)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let w = wid.x + wid.y * nwg.x;
  if (w >= p.batch * p.n_chunks * p.n_cblocks) { return; }
  let blk = w % p.n_cblocks;
  let bk = w / p.n_cblocks;
  let k = bk % p.n_chunks;
  let b = bk / p.n_chunks;
  let N = p.n_state;
  let N2 = 2u * N;
  let c = blk * WG + lid;
  let valid = c < p.c_dim;
  let cs = select(0u, c, valid); // a safe channel for the loads of idle lanes
  let t0 = k * p.chunk;
  let t1 = min(t0 + p.chunk, p.t_len);
  let o = ((b * p.n_chunks + k) * p.c_dim + cs) * N;

  var a_c: array<f32, MAX_N>;
  var h0: array<f32, MAX_N>;
  var g_next: array<f32, MAX_N>;
  var da: array<f32, MAX_N>;
  var hist: array<f32, HIST_CAP>;
  for (var n = 0u; n < N; n = n + 1u) {
    a_c[n] = states[cs * (N + 1u) + n];
    h0[n] = states[p.h_off + o + n];
    g_next[n] = states[p.g_off + o + n];
    da[n] = 0.0;
  }
  // Recompute h_t for every step of the chunk from the boundary state.
  for (var t = t0; t < t1; t = t + 1u) {
    let row = b * p.t_len + t;
    let d = delta[row * p.c_dim + cs];
    let xv = x[row * p.c_dim + cs];
    for (var n = 0u; n < N; n = n + 1u) {
      var prev = h0[n];
      if (t > t0) { prev = hist[(t - 1u - t0) * N + n]; }
      hist[(t - t0) * N + n] = exp(d * a_c[n]) * prev + d * xv * bc[b_at(row, n)];
    }
  }
  let dcoef = states[cs * (N + 1u) + N];
  var dd = 0.0;
  for (var t = t1; t > t0; t = t - 1u) {
    let tt = t - 1u;
    let row = b * p.t_len + tt;
    let e = row * p.c_dim + cs;
    let d = delta[e];
    let xv = x[e];
    let gy = dy[e];
    var gx = dcoef * gy;
    var gd = 0.0;
    for (var n = 0u; n < N; n = n + 1u) {
      var prev = h0[n];
      if (tt > t0) { prev = hist[(tt - 1u - t0) * N + n]; }
      let h = hist[(tt - t0) * N + n];
      let bn = bc[b_at(row, n)];
      let a = exp(d * a_c[n]);
      let g = bc[c_at(row, n)] * gy + g_next[n];
      gx = gx + g * d * bn;
      gd = gd + g * (prev * a * a_c[n] + bn * xv);
      da[n] = da[n] + g * prev * a * d;
      g_next[n] = a * g;
      red[lid * N2 + n] = select(0.0, g * d * xv, valid);
      red[lid * N2 + N + n] = select(0.0, gy * h, valid);
    }
    dd = dd + gy * xv;
    if (valid) {
      dx[e] = dx[e] + gx;
      ddelta[e] = ddelta[e] + gd;
    }
    workgroupBarrier();
    for (var s = WG / 2u; s > 0u; s = s / 2u) {
      if (lid < s) {
        for (var q = 0u; q < N2; q = q + 1u) {
          red[lid * N2 + q] = red[lid * N2 + q] + red[(lid + s) * N2 + q];
        }
      }
      workgroupBarrier();
    }
    if (lid < N2) {
      work[(row * p.n_cblocks + blk) * N2 + lid] = red[lid];
    }
    workgroupBarrier();
  }
  if (valid) {
    let width = p.c_dim * (N + 1u);
    let base = p.ad_off + (b * p.n_chunks + k) * width + c * (N + 1u);
    for (var n = 0u; n < N; n = n + 1u) { work[base + n] = da[n]; }
    work[base + N] = dd;
  }
}
