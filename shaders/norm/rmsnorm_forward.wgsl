// RMSNorm over the last axis: y = x · rstd ⊙ w, rstd = 1 / sqrt(mean(x²) + eps), per row.
//   x, y: [N, D] f32 (N = B·T rows; D = width);  w: [D];  rstd: [N], saved for backward.
// LANES invocations per row (power of two), WG / LANES rows per workgroup, PER_THREAD =
// ceil(D / LANES) ≤ MAX_PER_THREAD elements per invocation kept in registers, so x is read once.
// A tree in workgroup memory sums the row's squares. 1-D grid of row groups over x and y.

struct Params { rows: u32, d: u32, eps: f32, _pad: u32 }

@group(0) @binding(0) var<storage, read_write> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> w: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<storage, read_write> rstd: array<f32>;
@group(0) @binding(4) var<uniform> p: Params;

override WG: u32 = 256u;
override LANES: u32 = 32u;
override PER_THREAD: u32 = 4u;
const MAX_PER_THREAD: u32 = 8u;

var<workgroup> lane_sum: array<f32, 256>;

@compute @workgroup_size(WG)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lin: u32,
) {
  let slot = lin / LANES;
  let l = lin % LANES;
  let row = (wid.x + wid.y * nwg.x) * (WG / LANES) + slot;
  let valid = row < p.rows;
  let base = row * p.d;

  var xs: array<f32, MAX_PER_THREAD>;
  var ss = 0.0;
  for (var k = 0u; k < PER_THREAD; k = k + 1u) {
    let col = l + k * LANES;
    var v = 0.0;
    if (valid && col < p.d) { v = x[base + col]; }
    xs[k] = v;
    ss = ss + v * v;
  }
  lane_sum[lin] = ss;
  workgroupBarrier();
  for (var st = LANES / 2u; st > 0u; st = st / 2u) {
    if (l < st) { lane_sum[lin] = lane_sum[lin] + lane_sum[lin + st]; }
    workgroupBarrier();
  }
  if (!valid) { return; }
  let r = 1.0 / sqrt(lane_sum[slot * LANES] / f32(p.d) + p.eps);
  if (l == 0u) { rstd[row] = r; }
  for (var k = 0u; k < PER_THREAD; k = k + 1u) {
    let col = l + k * LANES;
    if (col < p.d) { y[base + col] = xs[k] * r * w[col]; }
  }
}
