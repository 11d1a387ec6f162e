// Stage 1 of the conv's parameter gradients: partial sums over blocks of ROWS_PER_PART rows
// (row = b·T + t), written (not accumulated) to scratch:
//   partial[p, c·(K+1) + j] = Σ_{rows r of block p} dy[r, c] · x[b, t−(K−1)+j, c]   (j < K)
//   partial[p, c·(K+1) + K] = Σ_{rows r of block p} dy[r, c]                         (bias)
// x, dy: [B, T, C] f32;  partial: [P, C·(K+1)] f32 with P = ⌈B·T / ROWS_PER_PART⌉.
// One invocation per (p, c, j); a fixed loop order, so the result is deterministic.
// Stage 2 (causal_conv_backward_params_final.wgsl) adds the P rows into dw and db.
// #include "common/index.wgsl"

struct Params { rows: u32, t_len: u32, c_dim: u32, k: u32, rows_per_part: u32, parts: u32 }

@group(0) @binding(0) var<storage, read_write> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> dy: array<f32>;
@group(0) @binding(2) var<storage, read_write> partial: array<f32>;
@group(0) @binding(3) var<uniform> p: Params;

override WG: u32 = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  let width = p.c_dim * (p.k + 1u);
  if (i >= p.parts * width) { return; }
  let col = i % width;
  let part = i / width;
  let c = col / (p.k + 1u);
  let j = col % (p.k + 1u);
  let r0 = part * p.rows_per_part;
  let r1 = min(r0 + p.rows_per_part, p.rows);
  var acc = 0.0;
  if (j == p.k) {
    for (var r = r0; r < r1; r = r + 1u) { acc = acc + dy[r * p.c_dim + c]; }
  } else {
    let back = p.k - 1u - j;
    for (var r = r0; r < r1; r = r + 1u) {
      let t = r % p.t_len;
      if (back <= t) { acc = acc + dy[r * p.c_dim + c] * x[(r - back) * p.c_dim + c]; }
    }
  }
  partial[i] = acc;
}
