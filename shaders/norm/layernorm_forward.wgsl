// LayerNorm over the last axis: y = (x − mean) · rstd ⊙ w + b, rstd = 1 / sqrt(var + eps),
// with the biased variance (mean of squared deviations), per row.
//   x, y: [N, D] f32 (N = B·T rows);  w, b: [D];  mean, rstd: [N], saved for backward.
// LANES invocations per row (power of two), WG / LANES rows per workgroup, PER_THREAD =
// ceil(D / LANES) ≤ MAX_PER_THREAD elements per invocation kept in registers: x is read once and
// the variance is taken two-pass (Σ (x − mean)², no cancellation), each sum a tree in workgroup
// memory. 1-D grid of row groups over x and y.

struct Params { rows: u32, d: u32, eps: f32, _pad: u32 }

@group(0) @binding(0) var<storage, read_write> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> w: array<f32>;
@group(0) @binding(2) var<storage, read_write> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<storage, read_write> mean: array<f32>;
@group(0) @binding(5) var<storage, read_write> rstd: array<f32>;
@group(0) @binding(6) var<uniform> p: Params;

override WG: u32 = 256u;
override LANES: u32 = 32u;
override PER_THREAD: u32 = 4u;
const MAX_PER_THREAD: u32 = 8u;

var<workgroup> lane_sum: array<f32, 256>;

// Sum of `v` over the LANES invocations of this row (every invocation gets it). Call in
// uniform control flow.
fn row_sum(v: f32, lin: u32, l: u32, first: u32) -> f32 {
  lane_sum[lin] = v;
  workgroupBarrier();
  for (var st = LANES / 2u; st > 0u; st = st / 2u) {
    if (l < st) { lane_sum[lin] = lane_sum[lin] + lane_sum[lin + st]; }
    workgroupBarrier();
  }
  let total = lane_sum[first];
  workgroupBarrier(); // the next call overwrites lane_sum
  return total;
}

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
  let inv_d = 1.0 / f32(p.d);

  var xs: array<f32, MAX_PER_THREAD>;
  var s = 0.0;
  for (var k = 0u; k < PER_THREAD; k = k + 1u) {
    let col = l + k * LANES;
    var v = 0.0;
    if (valid && col < p.d) { v = x[base + col]; }
    xs[k] = v;
    s = s + v;
  }
  let mu = row_sum(s, lin, l, slot * LANES) * inv_d;
  var ss = 0.0;
  for (var k = 0u; k < PER_THREAD; k = k + 1u) {
    let col = l + k * LANES;
    if (col < p.d) {
      let dev = xs[k] - mu;
      ss = ss + dev * dev;
    }
  }
  let r = 1.0 / sqrt(row_sum(ss, lin, l, slot * LANES) * inv_d + p.eps);
  if (!valid) { return; }
  if (l == 0u) {
    mean[row] = mu;
    rstd[row] = r;
  }
  for (var k = 0u; k < PER_THREAD; k = k + 1u) {
    let col = l + k * LANES;
    if (col < p.d) { y[base + col] = (xs[k] - mu) * r * w[col] + b[col]; }
  }
}
