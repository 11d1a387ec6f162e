// LayerNorm weight and bias gradients, barrier-free: one invocation per column sums every row in
// order, in blocks of BLOCK rows whose sums are then added (f32 error grows with the block and
// block-count lengths, not with N as in one running sum), deterministic, no atomics, no partials
// (the 'rows' variant):
//   dw[c] += Σ_rows dy[row, c] · (x[row, c] − mean[row]) · rstd[row],   db[c] += Σ_rows dy[row, c]
//   x, dy: [N, D] f32;  mean, rstd: [N];  dw, db: [D]. 1-D grid of column blocks.
// #include "common/index.wgsl"

struct Params { rows: u32, d: u32, _pad0: u32, _pad1: u32 }

@group(0) @binding(0) var<storage, read_write> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> mean: array<f32>;
@group(0) @binding(2) var<storage, read_write> rstd: array<f32>;
@group(0) @binding(3) var<storage, read_write> dy: array<f32>;
@group(0) @binding(4) var<storage, read_write> dw: array<f32>;
@group(0) @binding(5) var<storage, read_write> db: array<f32>;
@group(0) @binding(6) var<uniform> p: Params;

override WG: u32 = 64u;
const BLOCK: u32 = 32u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let col = flat_index(gid, nwg, WG);
  if (col >= p.d) { return; }
  var total_w = 0.0;
  var total_b = 0.0;
  for (var start = 0u; start < p.rows; start = start + BLOCK) {
    var acc_w = 0.0;
    var acc_b = 0.0;
    for (var row = start; row < min(start + BLOCK, p.rows); row = row + 1u) {
      let g = dy[row * p.d + col];
      acc_w = acc_w + g * (x[row * p.d + col] - mean[row]) * rstd[row];
      acc_b = acc_b + g;
    }
    total_w = total_w + acc_w;
    total_b = total_b + acc_b;
  }
  dw[col] = dw[col] + total_w;
  db[col] = db[col] + total_b;
}
