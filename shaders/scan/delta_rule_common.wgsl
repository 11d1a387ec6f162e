// Shared declarations of the delta-rule kernels (docs/kernels.md "Delta rule"): the uniform block
// and the workgroup layout. 'elements' kernels: one workgroup per (batch, head); invocation
// lid = i·dk + j holds the state element S[i, j] (i < dv, j < dk), so WG = dv·dk ≤ 256. 'rows'
// kernels (delta_rule_rows_*.wgsl): one invocation per state row or column, in registers of
// STATE_CAP floats (dk, dv ≤ dv·dk ≤ 256).
// Inputs, row r = (b·T + t)·H + h: q, k [r, dk]; v [r, dv]; beta, log_alpha [r].
// states: [B·H, n_chunks, dv·dk], S before each chunk's first step (forward writes, backward reads).

struct DeltaParams {
  batch: u32,
  t_len: u32,
  heads: u32,
  dk: u32,
  dv: u32,
  chunk: u32,
  n_chunks: u32,
  /** 1: S_{t−1} is scaled by α_t = exp(log_alpha[r]); 0: α_t = 1 (log_alpha is not read). */
  gated: u32,
  scale: f32,
  /** Width of a packed gradient row in the backward (2·dk + dv + 2). */
  grad_width: u32,
  /** Backward scatter: which gradients to add, bits 1 dq, 2 dk, 4 dv, 8 dβ, 16 d log α. */
  want: u32,
  _pad1: u32,
}

const STATE_CAP: u32 = 256u;
