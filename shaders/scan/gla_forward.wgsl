// Chunked linear recurrence, forward pass 2 of 2: the outputs, one workgroup per (b, h, chunk).
//   o_t = Σ_{s reaches t} A[t, s] v_s + Σ_i q_t[i] exp(bq_t[i]) S_c[i, :]
//   A[t, s] = Σ_i q_t[i] k_s[i] exp(bq_t[i] − b_s[i])  (mode 1 diagonal: Σ_i q_t[i] u[i] k_t[i])
// q, k, lw: [B, T, H, DK]; v, o: [B, T, H, DV]; u: [H, DK]; states: [B, H, NC, 2, DK, DV].
// #include "scan/gla_common.wgsl"

@group(0) @binding(0) var<storage, read_write> q: array<f32>;
@group(0) @binding(1) var<storage, read_write> k: array<f32>;
@group(0) @binding(2) var<storage, read_write> v: array<f32>;
@group(0) @binding(3) var<storage, read_write> lw: array<f32>;
@group(0) @binding(4) var<storage, read_write> u: array<f32>;
@group(0) @binding(5) var<storage, read_write> states: array<f32>;
@group(0) @binding(6) var<storage, read_write> o: array<f32>;
@group(0) @binding(7) var<uniform> params: Params;

override WG: u32 = 64u;

var<workgroup> sa: array<f32, 256>; // CH × CH

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_id) lid3: vec3<u32>) {
  let p = params;
  let flat = wid.x + wid.y * nwg.x;
  if (flat >= p.batch * p.heads * p.nc) { return; } // uniform per workgroup
  let c = flat % p.nc;
  let bh = flat / p.nc;
  let b = bh / p.heads;
  let h = bh % p.heads;
  let lid = lid3.x;
  let dk = p.dk;
  let dv = p.dv;
  let len = chunk_len(p, c);
  for (var e = lid; e < CH * dk; e += WG) {
    let t = e / dk;
    let i = e % dk;
    if (t < len) {
      let at = qk_index(p, b, c * CH + t, h, i);
      sq[e] = p.scale * q[at];
      sk[e] = k[at];
      sb[e] = lw[at];
    } else {
      sq[e] = 0.0;
      sk[e] = 0.0;
      sb[e] = 0.0;
    }
  }
  workgroupBarrier();
  cumsum_chunk(dk, lid, WG);
  workgroupBarrier();
  for (var e = lid; e < CH * CH; e += WG) {
    let t = e / CH;
    let s = e % CH;
    var acc = 0.0;
    if (reaches(t, s, p.mode)) {
      for (var i = 0u; i < dk; i++) {
        acc += sq[t * dk + i] * sk[s * dk + i] * exp(bq_at(dk, t, i, p.mode) - sb[s * dk + i]);
      }
    } else if (p.mode == 1u && s == t) {
      for (var i = 0u; i < dk; i++) { acc += sq[t * dk + i] * u[h * dk + i] * sk[t * dk + i]; }
    }
    sa[e] = acc;
  }
  workgroupBarrier();
  for (var e = lid; e < len * dv; e += WG) {
    let t = e / dv;
    let j = e % dv;
    var acc = 0.0;
    for (var s = 0u; s <= t; s++) { acc += sa[t * CH + s] * v[v_index(p, b, c * CH + s, h, j)]; }
    for (var i = 0u; i < dk; i++) {
      acc += sq[t * dk + i] * exp(bq_at(dk, t, i, p.mode)) * states[state_index(p, bh, c, 0u, i, j)];
    }
    o[v_index(p, b, c * CH + t, h, j)] = acc;
  }
}
