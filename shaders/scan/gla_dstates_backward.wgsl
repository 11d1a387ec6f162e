// Chunked linear recurrence, backward pass 1 of 2: the gradient dS of the state leaving every
// chunk, as a reverse loop over chunks per (b, h) (dS of the last chunk is 0):
//   dS_{c−1} = diag(exp(b_L)) dS_c + Σ_t (q_t ∘ exp(bq_t)) dO_tᵀ   (q_t, b, dO of chunk c)
// q, lw: [B, T, H, DK]; dout: [B, T, H, DV]; states: [B, H, NC, 2, DK, DV] (writes slot 1).
// Each invocation owns the elements e ≡ lid (mod WG) of dS (flattened [DK, DV]) in every chunk.
// #include "scan/gla_common.wgsl"

@group(0) @binding(0) var<storage, read_write> q: array<f32>;
@group(0) @binding(1) var<storage, read_write> lw: array<f32>;
@group(0) @binding(2) var<storage, read_write> dout: array<f32>;
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
  for (var e = lid; e < dk * dv; e += WG) { states[state_index(p, bh, p.nc - 1u, 1u, e / dv, e % dv)] = 0.0; }
  for (var c = p.nc - 1u; c > 0u; c--) {
    let len = chunk_len(p, c);
    for (var e = lid; e < CH * dk; e += WG) {
      let t = e / dk;
      let i = e % dk;
      if (t < len) {
        let at = qk_index(p, b, c * CH + t, h, i);
        sq[e] = p.scale * q[at];
        sb[e] = lw[at];
      } else {
        sq[e] = 0.0;
        sb[e] = 0.0;
      }
    }
    workgroupBarrier();
    cumsum_chunk(dk, lid, WG);
    workgroupBarrier();
    for (var e = lid; e < dk * dv; e += WG) {
      let i = e / dv;
      let j = e % dv;
      var ds = exp(sb[(CH - 1u) * dk + i]) * states[state_index(p, bh, c, 1u, i, j)];
      for (var t = 0u; t < len; t++) {
        ds += sq[t * dk + i] * exp(bq_at(dk, t, i, p.mode)) * dout[v_index(p, b, c * CH + t, h, j)];
      }
      states[state_index(p, bh, c - 1u, 1u, i, j)] = ds;
    }
    workgroupBarrier();
  }
}
