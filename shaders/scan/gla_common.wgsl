// Shared declarations of the chunked linear-recurrence kernels (GLA, RWKV5/6, linear attention).
//   S_t = diag(exp(lw_t))·S_{t−1} + k_t v_tᵀ   (lw ≤ 0: log of the per-key-channel decay)
//   mode 0 (GLA, linear attention): o_t = (scale·q_t)ᵀ S_t
//   mode 1 (RWKV):                  o_t = (scale·q_t)ᵀ (S_{t−1} + diag(u) k_t v_tᵀ)
// Shapes: q, k, lw: [B, T, H, DK]; v, o: [B, T, H, DV]; u: [H, DK];
//   states: [B, H, NC, 2, DK, DV] — [.., 0, ..] the state entering chunk c (forward),
//   [.., 1, ..] the gradient of the state leaving chunk c (backward).
// Time is split into chunks of CH = 16 steps. Inside a chunk b_t = Σ_{τ≤t} lw_τ (log space,
// relative to the chunk start); every factor is exp(b_t − b_s) with t ≥ s, so it lies in (0, 1]
// and can neither overflow nor lose the chunk's cumulative decay to underflow in a product.
// Workgroup arrays hold one chunk of q, k and b, CH × MAXK each, plus the CH×CH intra-chunk
// matrices. MAXK is a plain const that the launcher text-substitutes with the smallest of
// 16/32/64/128 that holds dk (override-sized workgroup arrays have had browser bugs; smaller
// arrays also compile several times faster on SwiftShader). At 128: 24 KiB + 2 KiB.

struct Params {
  batch: u32,
  time: u32,
  heads: u32,
  dk: u32,
  dv: u32,
  nc: u32,
  scale: f32,
  /** 0: GLA / linear attention, 1: RWKV (a uniform, not an override, so both share pipelines). */
  mode: u32,
}

const CH: u32 = 16u;
const MAXK: u32 = 16u; // substituted by the launcher

var<workgroup> sq: array<f32, CH * MAXK>; // scale·q
var<workgroup> sk: array<f32, CH * MAXK>;
var<workgroup> sb: array<f32, CH * MAXK>; // inclusive cumulative log decay

fn qk_index(p: Params, b: u32, t: u32, h: u32, i: u32) -> u32 {
  return ((b * p.time + t) * p.heads + h) * p.dk + i;
}
fn v_index(p: Params, b: u32, t: u32, h: u32, j: u32) -> u32 {
  return ((b * p.time + t) * p.heads + h) * p.dv + j;
}
fn state_index(p: Params, bh: u32, c: u32, which: u32, i: u32, j: u32) -> u32 {
  return (((bh * p.nc + c) * 2u + which) * p.dk + i) * p.dv + j;
}
fn chunk_len(p: Params, c: u32) -> u32 {
  return min(CH, p.time - c * CH);
}
/** b at chunk position t as the q side sees it: inclusive (mode 0) or exclusive (mode 1). */
fn bq_at(dk: u32, t: u32, i: u32, mode: u32) -> f32 {
  if (mode == 0u) { return sb[t * dk + i]; }
  if (t == 0u) { return 0.0; }
  return sb[(t - 1u) * dk + i];
}
/** Whether key position s reaches query position t through the state (s ≤ t, or s < t for RWKV). */
fn reaches(t: u32, s: u32, mode: u32) -> bool {
  return s < t || (mode == 0u && s == t);
}

/** sb[t, i] ← Σ_{τ≤t} sb[τ, i] over the whole chunk (padding positions hold lw = 0). */
fn cumsum_chunk(dk: u32, lid: u32, wg: u32) {
  for (var i = lid; i < dk; i += wg) {
    var acc = 0.0;
    for (var t = 0u; t < CH; t++) {
      acc += sb[t * dk + i];
      sb[t * dk + i] = acc;
    }
  }
}
