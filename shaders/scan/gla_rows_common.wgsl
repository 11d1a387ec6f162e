// Shared declarations of the barrier-free 'rows' variant of the chunked linear recurrence, for CPU
// adapters (which run a workgroup's invocations as coroutines, where every barrier switches each
// of them). Same math and buffers as gla_common.wgsl, per step instead of per chunk:
//   S_t = diag(exp(lw_t))·S_{t−1} + k_t v_tᵀ;  mode 0: o_t = (σq_t)ᵀ S_t;  mode 1: o_t = (σq_t)ᵀ (S_{t−1} + diag(u) k_t v_tᵀ)
// Every factor multiplies a state by exp(lw) ≤ 1, so the per-step form neither overflows nor
// needs the chunk's log-space cumulative sums. No workgroup memory: each invocation owns one
// state row (b, h, i) or column (b, h, j) and loops over t. Column state lives in a private
// array of MAXK (≥ dk, substituted by the launcher); a row's dv values live in scratch.
// #include "common/index.wgsl"

struct Params {
  batch: u32,
  time: u32,
  heads: u32,
  dk: u32,
  dv: u32,
  nc: u32,
  scale: f32,
  mode: u32,
}

const MAXK: u32 = 16u; // substituted by the launcher

/** Row r = (b·T + t)·H + h of the [B, T, H, ·] tensors. */
fn row_of(p: Params, b: u32, t: u32, h: u32) -> u32 {
  return (b * p.time + t) * p.heads + h;
}
