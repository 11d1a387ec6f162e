// Shared by the selective-scan kernels (Mamba, docs/protocol.md §4.4; docs/kernels.md "Selective scan").
//   h_t[c,n] = a_t[c,n]·h_{t−1}[c,n] + Δ_t[c]·B_t[n]·x_t[c],   a_t[c,n] = exp(Δ_t[c]·A[c,n]),
//   y_t[c]   = Σ_n C_t[n]·h_t[c,n] + D[c]·x_t[c],               A = −exp(A_log).
// Layouts (row-major, row = b·T + t):
//   x, Δ, y: [B, T, Dc];
//   bc: [B, T, S] — B_t[n] at column b_off + n, C_t[n] at column c_off + n (Mamba passes its
//       x_proj output [δ | B | C] as is, so the scan needs no slices and one binding for both);
//   states: [coef: Dc·(N+1) | h carries: B·K·Dc·N | g carries: B·K·Dc·N], where
//     coef[c, n] = A[c,n] = −exp(A_log[c,n]) for n < N and coef[c, N] = D[c] (selective_scan_coef.wgsl),
//     h carry [b,k,c,n] = the state entering chunk k (forward pass 2), at h_off,
//     g carry [b,k,c,n] = a_{t+1}·g_{t+1} entering chunk k from its end (backward pass 2), at g_off;
//   chunk-boundary scratch end, prod: [B, K, Dc, N] with K = ⌈T / chunk⌉ (last chunk may be shorter).
// At most 8 storage bindings per kernel (the engine's required limit), hence the packing.

/** Largest state size N the kernels keep in registers. */
const MAX_N: u32 = 16u;
/** Floats of the per-chunk state history in the backward kernel: chunk · N ≤ HIST_CAP. */
const HIST_CAP: u32 = 128u;
/** Workgroup memory of the backward's channel reduction: WG · 2N ≤ RED_CAP. The launcher
 *  substitutes WG · 2N for this value (text), as SwiftShader compiles big workgroup arrays slowly. */
const RED_CAP: u32 = 2048u;

struct ScanParams {
  batch: u32,
  t_len: u32,
  c_dim: u32,
  n_state: u32,
  chunk: u32,
  n_chunks: u32,
  n_cblocks: u32,
  reverse: u32,
  bc_stride: u32,
  b_off: u32,
  c_off: u32,
  h_off: u32,
  g_off: u32,
  /** backward: offset of part_ad inside `work` (part_bc starts at 0). */
  ad_off: u32,
  _pad0: u32,
  _pad1: u32,
}

fn b_at(row: u32, n: u32) -> u32 { return row * p.bc_stride + p.b_off + n; }
fn c_at(row: u32, n: u32) -> u32 { return row * p.bc_stride + p.c_off + n; }
