// RMSNorm weight gradient, barrier-free: one invocation per column sums every row in order, in
// blocks of BLOCK rows whose sums are then added (f32 error grows with the block and block-count
// lengths, not with N as in one running sum), deterministic, no atomics, no partials (the 'rows'
// variant):
//   dw[c] += Σ_rows dy[row, c] · x[row, c] · rstd[row]
//   x, dy: [N, D] f32;  rstd: [N];  dw: [D]. 1-D grid of column blocks.
// #include "common/index.wgsl"

struct Params { rows: u32, d: u32, _pad0: u32, _pad1: u32 }

@group(0) @binding(0) var<storage, read_write> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> rstd: array<f32>;
@group(0) @binding(2) var<storage, read_write> dy: array<f32>;
@group(0) @binding(3) var<storage, read_write> dw: array<f32>;
@group(0) @binding(4) var<uniform> p: Params;

override WG: u32 = 64u;
const BLOCK: u32 = 32u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let col = flat_index(gid, nwg, WG);
  if (col >= p.d) { return; }
  var total = 0.0;
  for (var start = 0u; start < p.rows; start = start + BLOCK) {
    var acc = 0.0;
    for (var row = start; row < min(start + BLOCK, p.rows); row = row + 1u) {
      let i = row * p.d + col;
      acc = acc + dy[i] * x[i] * rstd[row];
    }
    total = total + acc;
  }
  dw[col] = dw[col] + total;
}
