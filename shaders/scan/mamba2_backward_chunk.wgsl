// Mamba-2 scan, backward pass 1: every chunk's local REVERSE scan of g_t = ∂L/∂h_t from 0,
// in parallel over (b, chunk k, c), for chunk k = [t0, t1]:
//   gl_{t1} = C_{t1}·dy_{t1};  gl_t = C_t·dy_t + a_{t+1}·gl_{t+1}
//   end[b,k,c,n] = a_{t0}·gl_{t0}     (what the chunk passes to the chunk before it)
//   prod[b,k,h]  = Π_{t in chunk k} a_t[h]   (written by the head's channel p = 0)
// mamba2_carry.wgsl (reverse = 1) then gives each chunk's true carry-in.
// xbc: [B, T, S];  Δ: [B, T, H];  dy: [B, T, C];  states: coef at 0;  end, prod: the forward's
// scratch, reused (mamba2_common.wgsl).  One invocation per (b, k, c); 1-D grid (flat_index).
// #include "common/index.wgsl"

@group(0) @binding(0) var<storage, read_write> xbc: array<f32>;
@group(0) @binding(1) var<storage, read_write> delta: array<f32>;
@group(0) @binding(2) var<storage, read_write> states: array<f32>;
@group(0) @binding(3) var<storage, read_write> dy: array<f32>;
@group(0) @binding(4) var<storage, read_write> end_state: array<f32>;
@group(0) @binding(5) var<storage, read_write> prod: array<f32>;
@group(0) @binding(6) var<uniform> p: Mamba2Params;

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
  var gl: array<f32, MAX_N>;
  for (var n = 0u; n < N; n = n + 1u) { gl[n] = 0.0; }
  var a_next = 0.0;
  var pr = 1.0;
  let t0 = k * p.chunk;
  let t1 = min(t0 + p.chunk, p.t_len);
  for (var t = t1; t > t0; t = t - 1u) {
    let row = b * p.t_len + t - 1u;
    let gy = dy[row * C + c];
    for (var n = 0u; n < N; n = n + 1u) {
      gl[n] = xbc[c_at(row, q, n)] * gy + a_next * gl[n];
    }
    a_next = exp(delta[row * p.heads + hd] * A);
    pr = pr * a_next;
  }
  let o = i * N;
  for (var n = 0u; n < N; n = n + 1u) { end_state[o + n] = a_next * gl[n]; }
  if (c % p.headdim == 0u) { prod[bk * p.heads + hd] = pr; }
}
