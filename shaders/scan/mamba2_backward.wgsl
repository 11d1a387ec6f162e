// Mamba-2 scan, backward pass 3: one workgroup per (b, chunk k, head h), one invocation per
// channel p of the head (WG ≥ P, a power of two). Recomputes h inside the chunk from its
// boundary state (a private history of chunk·N floats), then walks the chunk backwards from the
// true carry (pass 2) with g_t = C_t·dy_t + a_{t+1}·g_{t+1} and produces (docs/kernels.md):
//   dx_t[c]  += Σ_n g_t Δ_t B_t[n] + D_h dy_t[c]                               (in place)
//   dΔ_t[h]  += Σ_p Σ_n g_t (h_{t−1} a_t A_h + B_t[n] x_t[c])                  (in place)
//   part_bc[row, h, n]     = Σ_p g_t Δ_t x_t[c]      (→ dB_t[q,n], summed over the group's heads)
//   part_bc[row, h, N + n] = Σ_p dy_t[c] h_t[c,n]    (→ dC_t[q,n])
//   part_ad[b·K+k, h, 0]   = Σ_{t, p, n} g_t h_{t−1} a_t Δ_t   (→ dA_h)
//   part_ad[b·K+k, h, 1]   = Σ_{t, p} dy_t x_t                  (→ dD_h)
// Sums over the head's channels are a fixed-order tree in workgroup memory;
// mamba2_backward_bc.wgsl and mamba2_backward_params.wgsl finish the rest in a fixed order:
// deterministic, no atomics.  xbc, dxbc: [B, T, S];  Δ, dΔ: [B, T, H];  dy: [B, T, C];
// states: coef, h and g carries;  work: [part_bc: B·T·H·2N | part_ad: B·K·H·2] (mamba2_common.wgsl).
// Grid: one workgroup per (b, k, h), 1-D over x and y.  WG·(2N+1) ≤ RED_CAP, chunk·N ≤ HIST_CAP.
// #include "common/index.wgsl"

@group(0) @binding(0) var<storage, read_write> xbc: array<f32>;
@group(0) @binding(1) var<storage, read_write> delta: array<f32>;
@group(0) @binding(2) var<storage, read_write> states: array<f32>;
@group(0) @binding(3) var<storage, read_write> dy: array<f32>;
@group(0) @binding(4) var<storage, read_write> dxbc: array<f32>;
@group(0) @binding(5) var<storage, read_write> ddelta: array<f32>;
@group(0) @binding(6) var<storage, read_write> work: array<f32>;
@group(0) @binding(7) var<uniform> p: Mamba2Params;

// #include "scan/mamba2_common.wgsl"

override WG: u32 = 32u;

var<workgroup> red: array<f32, RED_CAP>;

/** Sums red[l·R + j] over the lanes l into red[j] for j < R (a fixed-order tree). */
fn reduce_lanes(lid: u32, R: u32) {
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s = s / 2u) {
    if (lid < s) {
      for (var j = 0u; j < R; j = j + 1u) { red[lid * R + j] = red[lid * R + j] + red[(lid + s) * R + j]; }
    }
    workgroupBarrier();
  }
}

@compute @workgroup_size(WG)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let w = wid.x + wid.y * nwg.x;
  if (w >= p.batch * p.n_chunks * p.heads) { return; }
  let hd = w % p.heads;
  let bk = w / p.heads;
  let k = bk % p.n_chunks;
  let b = bk / p.n_chunks;
  let q = group_of(hd);
  let C = c_dim();
  let N = p.n_state;
  let N2 = 2u * N;
  let R = N2 + 1u;
  let valid = lid < p.headdim;
  let c = hd * p.headdim + select(0u, lid, valid); // a safe channel for the loads of idle lanes
  let t0 = k * p.chunk;
  let t1 = min(t0 + p.chunk, p.t_len);
  let o = (bk * C + c) * N;
  let A = states[2u * hd];
  let dskip = states[2u * hd + 1u];

  var h0: array<f32, MAX_N>;
  var g_next: array<f32, MAX_N>;
  var hist: array<f32, HIST_CAP>;
  for (var n = 0u; n < N; n = n + 1u) {
    h0[n] = states[p.h_off + o + n];
    g_next[n] = states[p.g_off + o + n];
  }
  // Recompute h_t for every step of the chunk from the boundary state.
  for (var t = t0; t < t1; t = t + 1u) {
    let row = b * p.t_len + t;
    let d = delta[row * p.heads + hd];
    let a = exp(d * A);
    let dxv = d * xbc[x_at(row, c)];
    for (var n = 0u; n < N; n = n + 1u) {
      var prev = h0[n];
      if (t > t0) { prev = hist[(t - 1u - t0) * N + n]; }
      hist[(t - t0) * N + n] = a * prev + dxv * xbc[b_at(row, q, n)];
    }
  }
  var da = 0.0;
  var dd = 0.0;
  for (var t = t1; t > t0; t = t - 1u) {
    let tt = t - 1u;
    let row = b * p.t_len + tt;
    let d = delta[row * p.heads + hd];
    let a = exp(d * A);
    let xv = xbc[x_at(row, c)];
    let gy = dy[row * C + c];
    var gx = dskip * gy;
    var gd = 0.0;
    for (var n = 0u; n < N; n = n + 1u) {
      var prev = h0[n];
      if (tt > t0) { prev = hist[(tt - 1u - t0) * N + n]; }
      let bn = xbc[b_at(row, q, n)];
      let g = xbc[c_at(row, q, n)] * gy + g_next[n];
      gx = gx + g * d * bn;
      gd = gd + g * (prev * a * A + bn * xv);
      da = da + g * prev * a * d;
      g_next[n] = a * g;
      red[lid * R + n] = select(0.0, g * d * xv, valid);
      red[lid * R + N + n] = select(0.0, gy * hist[(tt - t0) * N + n], valid);
    }
    red[lid * R + N2] = select(0.0, gd, valid);
    dd = dd + gy * xv;
    if (valid) {
      let e = x_at(row, c);
      dxbc[e] = dxbc[e] + gx;
    }
    reduce_lanes(lid, R);
    for (var j = lid; j < R; j = j + WG) {
      if (j < N2) {
        work[(row * p.heads + hd) * N2 + j] = red[j];
      } else {
        let e = row * p.heads + hd;
        ddelta[e] = ddelta[e] + red[N2];
      }
    }
    workgroupBarrier();
  }
  red[lid * 2u] = select(0.0, da, valid);
  red[lid * 2u + 1u] = select(0.0, dd, valid);
  reduce_lanes(lid, 2u);
  if (lid == 0u) {
    let base = p.ad_off + (bk * p.heads + hd) * 2u;
    work[base] = red[0];
    work[base + 1u] = red[1];
  }
}
