// Selective scan, backward pass 1: every chunk's local REVERSE scan of g_t = ∂L/∂h_t from 0,
// in parallel over (b, chunk k, c), for chunk k = [t0, t1]:
//   gl_{t1} = C_{t1}·dy_{t1};  gl_t = C_t·dy_t + a_{t+1}·gl_{t+1}
//   end[b,k,c,n]  = a_{t0}·gl_{t0}     (what the chunk passes to the chunk before it)
//   prod[b,k,c,n] = Π_{t in chunk k} a_t
// selective_scan_carry.wgsl (reverse = 1) then gives each chunk's true carry-in.
// Δ, dy: [B, T, Dc];  bc: [B, T, S];  states: coef at 0 (selective_scan_common.wgsl);
// end, prod: [B, K, Dc, N] (the forward's scratch, reused).  One invocation per (b, k, c); 1-D grid (flat_index).
// #include "common/index.wgsl"

@group(0) @binding(0) var<storage, read_write> delta: array<f32>;
@group(0) @binding(1) var<storage, read_write> bc: array<f32>;
@group(0) @binding(2) var<storage, read_write> states: array<f32>;
@group(0) @binding(3) var<storage, read_write> dy: array<f32>;
@group(0) @binding(4) var<storage, read_write> end_state: array<f32>;
@group(0) @binding(5) var<storage, read_write> prod: array<f32>;
@group(0) @binding(6) var<uniform> p: ScanParams;

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
  var gl: array<f32, MAX_N>;
  var a_next: array<f32, MAX_N>;
  var pr: array<f32, MAX_N>;
  for (var n = 0u; n < N; n = n + 1u) {
    a_c[n] = states[c * (N + 1u) + n];
    gl[n] = 0.0;
    a_next[n] = 0.0;
    pr[n] = 1.0;
  }
  let t0 = k * p.chunk;
  let t1 = min(t0 + p.chunk, p.t_len);
  for (var t = t1; t > t0; t = t - 1u) {
    let row = b * p.t_len + t - 1u;
    let d = delta[row * p.c_dim + c];
    let gy = dy[row * p.c_dim + c];
    for (var n = 0u; n < N; n = n + 1u) {
      gl[n] = bc[c_at(row, n)] * gy + a_next[n] * gl[n];
      let a = exp(d * a_c[n]);
      a_next[n] = a;
      pr[n] = pr[n] * a;
    }
  }
  let o = i * N;
  for (var n = 0u; n < N; n = n + 1u) {
    end_state[o + n] = a_next[n] * gl[n];
    prod[o + n] = pr[n];
  }
}
