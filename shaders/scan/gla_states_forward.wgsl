// Chunked linear recurrence, forward pass 1 of 2: the state entering every chunk.
// One workgroup per (b, h), a sequential loop over the T/16 chunks (not over time steps):
//   S_{c+1} = diag(exp(b_L)) S_c + Σ_s (k_s ∘ exp(b_L − b_s)) v_sᵀ
// k, lw: [B, T, H, DK]; v: [B, T, H, DV]; states: [B, H, NC, 2, DK, DV] (writes slot 0).
// Each invocation owns the elements e ≡ lid (mod WG) of S (flattened [DK, DV]) in every chunk,
// so S never crosses invocations.
// #include "scan/gla_common.wgsl"

@group(0) @binding(0) var<storage, read_write> k: array<f32>;
@group(0) @binding(1) var<storage, read_write> v: array<f32>;
@group(0) @binding(2) var<storage, read_write> lw: array<f32>;
@group(0) @binding(3) var<storage, read_write> states: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;

override WG: u32 = 64u;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid3: vec3<u32>) {
  let p = params;
  let bh = wid.x;
  let b = bh / p.heads;
  let h = bh % p.heads;
  let lid = lid3.x;
  let dk = p.dk;
  let dv = p.dv;
  for (var e = lid; e < dk * dv; e += WG) { states[state_index(p, bh, 0u, 0u, e / dv, e % dv)] = 0.0; }
  for (var c = 0u; c + 1u < p.nc; c++) {
    let len = chunk_len(p, c);
    for (var e = lid; e < CH * dk; e += WG) {
      let t = e / dk;
      let i = e % dk;
      if (t < len) {
        let at = qk_index(p, b, c * CH + t, h, i);
        sk[e] = k[at];
        sb[e] = lw[at];
      } else {
        sk[e] = 0.0;
        sb[e] = 0.0;
      }
    }
    workgroupBarrier();
    cumsum_chunk(dk, lid, WG);
    workgroupBarrier();
    for (var e = lid; e < dk * dv; e += WG) {
      let i = e / dv;
      let j = e % dv;
      let bl = sb[(CH - 1u) * dk + i];
      var s_new = exp(bl) * states[state_index(p, bh, c, 0u, i, j)];
      for (var s = 0u; s < len; s++) {
        s_new += sk[s * dk + i] * exp(bl - sb[s * dk + i]) * v[v_index(p, b, c * CH + s, h, j)];
      }
      states[state_index(p, bh, c + 1u, 0u, i, j)] = s_new;
    }
    workgroupBarrier();
  }
}
