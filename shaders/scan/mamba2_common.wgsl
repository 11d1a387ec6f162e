// Shared by the Mamba-2 scan kernels (docs/protocol.md §4.10; docs/kernels.md "Mamba-2 scan").
// Per head h (P channels, state N, B/C group q = h / (H / G)), channel c = h·P + p:
//   h_t[c,n] = a_t[h]·h_{t−1}[c,n] + Δ_t[h]·x_t[c]·B_t[q,n],   a_t[h] = exp(Δ_t[h]·A_h),
//   y_t[c]   = Σ_n C_t[q,n]·h_t[c,n] + D_h·x_t[c],              A_h = −exp(A_log[h]).
// Layouts (row-major, row = b·T + t, C = H·P):
//   xbc: [B, T, S], S = C + 2GN — x at column c, B_t[q,n] at C + qN + n, C_t[q,n] at C + (G+q)N + n
//       (the layer's conv output as is: no slices, one binding for all three);
//   Δ: [B, T, H];  y, dy: [B, T, C];
//   states: [coef: 2H | h carries: B·K·C·N | g carries: B·K·C·N], where coef[2h] = A_h,
//     coef[2h+1] = D_h (mamba2_coef.wgsl), h carry [b,k,c,n] = the state entering chunk k
//     (forward), g carry [b,k,c,n] = a_{t+1}·g_{t+1} entering chunk k from its end (backward);
//   chunk scratch end: [B, K, C, N], prod: [B, K, H] (Π a over the chunk, one per head),
//   K = ⌈T / chunk⌉ (the last chunk may be shorter).
// At most 8 storage bindings per kernel (the engine's required limit), hence the packing.

/** Largest state size N the kernels keep in registers. */
const MAX_N: u32 = 16u;
/** Floats of the per-chunk state history in the backward kernel: chunk · N ≤ HIST_CAP. */
const HIST_CAP: u32 = 128u;
/** Workgroup memory of the backward's reduction over a head's channels: WG · (2N + 1) ≤ RED_CAP.
 *  The launcher substitutes WG · (2N + 1) (text), as SwiftShader compiles big workgroup arrays slowly. */
const RED_CAP: u32 = 4096u;

struct Mamba2Params {
  batch: u32,
  t_len: u32,
  heads: u32,
  headdim: u32,
  n_state: u32,
  groups: u32,
  chunk: u32,
  n_chunks: u32,
  reverse: u32,
  stride: u32,
  h_off: u32,
  g_off: u32,
  /** backward: offset of part_ad inside `work` (part_bc starts at 0). */
  ad_off: u32,
  _pad0: u32,
  _pad1: u32,
  _pad2: u32,
}

fn c_dim() -> u32 { return p.heads * p.headdim; }
fn group_of(h: u32) -> u32 { return h / (p.heads / p.groups); }
fn x_at(row: u32, c: u32) -> u32 { return row * p.stride + c; }
fn b_at(row: u32, q: u32, n: u32) -> u32 { return row * p.stride + c_dim() + q * p.n_state + n; }
fn c_at(row: u32, q: u32, n: u32) -> u32 { return row * p.stride + c_dim() + (p.groups + q) * p.n_state + n; }
