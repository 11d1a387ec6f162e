// Softmax over the last axis, numerically stable: y = exp(x − max) / Σ exp(x − max) per row.
//   x, y: [N, D] f32 (N = B·T rows, or B·H·T for attention scores); D up to 8,192 and beyond.
// LANES invocations per row (a power of two ≤ WG), WG / LANES rows per workgroup. Each lane
// keeps an online (max, sum) over its strided share of the row — one read of x, one exp per
// element — then a tree in workgroup memory merges the lanes' pairs; a second sweep writes y.
// 1-D grid of row groups spread over x and y.

struct Params { rows: u32, d: u32, _pad0: u32, _pad1: u32 }

@group(0) @binding(0) var<storage, read_write> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> p: Params;

override WG: u32 = 256u;
override LANES: u32 = 256u;

// Below every finite input: the running max of a lane that has seen nothing. Not −∞, so that
// lowest − lowest = 0 and merging two empty lanes gives 0 · exp(0) = 0 rather than NaN.
const LOWEST: f32 = -3.4028234663852886e38;

var<workgroup> lane_max: array<f32, 256>;
var<workgroup> lane_sum: array<f32, 256>;

@compute @workgroup_size(WG)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lin: u32,
) {
  let slot = lin / LANES; // row within the workgroup
  let l = lin % LANES;
  let row = (wid.x + wid.y * nwg.x) * (WG / LANES) + slot;
  let valid = row < p.rows;
  let base = row * p.d;

  var m = LOWEST;
  var s = 0.0;
  if (valid) {
    for (var i = l; i < p.d; i = i + LANES) {
      let v = x[base + i];
      if (v > m) {
        s = s * exp(m - v) + 1.0;
        m = v;
      } else {
        s = s + exp(v - m);
      }
    }
  }
  lane_max[lin] = m;
  lane_sum[lin] = s;
  workgroupBarrier();
  for (var st = LANES / 2u; st > 0u; st = st / 2u) {
    if (l < st) {
      let m2 = lane_max[lin + st];
      let s2 = lane_sum[lin + st];
      let mm = max(m, m2);
      s = s * exp(m - mm) + s2 * exp(m2 - mm);
      m = mm;
      lane_max[lin] = m;
      lane_sum[lin] = s;
    }
    workgroupBarrier();
  }
  let row_max = lane_max[slot * LANES];
  let inv_sum = 1.0 / lane_sum[slot * LANES];
  if (valid) {
    for (var i = l; i < p.d; i = i + LANES) {
      y[base + i] = exp(x[base + i] - row_max) * inv_sum;
    }
  }
}
