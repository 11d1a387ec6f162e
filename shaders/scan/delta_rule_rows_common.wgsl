// The scratch of the 'rows' backward (delta_rule_rows_backward*.wgsl): one buffer (a stage binds
// eight storage buffers at most) in three parts, rows = B·T·H, r = (b·T + t)·H + h:
//   [0, rows·W)      the packed gradient rows [dq | dk | dv | dβ | d log α] of the 'elements'
//                    backward (W = grad_width), unpacked by delta_rule_backward_scatter.wgsl;
//   part_base(r, m)  dv values per step, one per state row i: m = 0 u_i, 1 dw_i, 2 u_i (dS k)_i,
//                    3 ⟨dS[i, :], S_{t−1}[i, :]⟩ − du_i w_i; the row pass writes, the column pass reads;
//   hist_base(n, w)  one chunk of states S_{t−1} of one row (n = bh·dv + i, w = dk) or one column
//                    (n = bh·dk + j, w = dv): B·H·dv·dk·chunk floats either way, reused by each pass.
// #include "scan/delta_rule_common.wgsl"

fn part_base(r: u32, m: u32) -> u32 {
  return p.batch * p.t_len * p.heads * p.grad_width + (r * 4u + m) * p.dv;
}

fn hist_base(n: u32, width: u32) -> u32 {
  return p.batch * p.t_len * p.heads * (p.grad_width + 4u * p.dv) + n * p.chunk * width;
}
