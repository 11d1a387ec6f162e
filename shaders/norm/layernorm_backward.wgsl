// LayerNorm backward, dx and the parameter gradients' partial sums in one pass:
//   x̂ = (x − mean) · rstd,  g = dy ⊙ w
//   dx += rstd · (g − mean(g) − x̂ · mean(g ⊙ x̂))                 (per row)
//   partial[q, 0, :] = Σ dy ⊙ x̂,  partial[q, 1, :] = Σ dy           over the rows of row slot q
//   (dw = Σ_q partial[q, 0, :], db = Σ_q partial[q, 1, :], by norm/norm_param_grad.wgsl)
//   x, dy, dx: [N, D] f32;  w: [D];  mean, rstd: [N] (saved by the forward);
//   partial: [P, 2, D], P = blocks · S, S = WG / LANES row slots per workgroup.
// Layout and blocking as in rmsnorm_backward.wgsl: LANES per row, S rows at a time, PER_THREAD ≤ 8
// elements per invocation; workgroup `block` loops over `iters` groups of S rows, each invocation
// keeping its columns' sums in registers, written as one row of partials (fixed order, no atomics).
// The two row sums share one tree (vec2 lanes). has_dx / has_dwb = 0 skip the writes (then a
// 1-element placeholder is bound instead).

struct Params { rows: u32, d: u32, iters: u32, has_dx: u32, has_dwb: u32, _pad0: u32, _pad1: u32, _pad2: u32 }

@group(0) @binding(0) var<storage, read_write> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> w: array<f32>;
@group(0) @binding(2) var<storage, read_write> mean: array<f32>;
@group(0) @binding(3) var<storage, read_write> rstd: array<f32>;
@group(0) @binding(4) var<storage, read_write> dy: array<f32>;
@group(0) @binding(5) var<storage, read_write> dx: array<f32>;
@group(0) @binding(6) var<storage, read_write> partial: array<f32>;
@group(0) @binding(7) var<uniform> p: Params;

override WG: u32 = 256u;
override LANES: u32 = 32u;
override PER_THREAD: u32 = 4u;
const MAX_PER_THREAD: u32 = 8u;

var<workgroup> lane_sum: array<vec2<f32>, 256>;

@compute @workgroup_size(WG)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lin: u32,
) {
  let slots = WG / LANES;
  let slot = lin / LANES;
  let l = lin % LANES;
  let block = wid.x + wid.y * nwg.x;
  let d = p.d;
  let inv_d = 1.0 / f32(d);

  var acc_w: array<f32, MAX_PER_THREAD>;
  var acc_b: array<f32, MAX_PER_THREAD>;
  for (var k = 0u; k < MAX_PER_THREAD; k = k + 1u) {
    acc_w[k] = 0.0;
    acc_b[k] = 0.0;
  }

  for (var it = 0u; it < p.iters; it = it + 1u) {
    let row = (block * p.iters + it) * slots + slot;
    let valid = row < p.rows;
    let base = row * d;
    var mu = 0.0;
    var r = 0.0;
    if (valid) {
      mu = mean[row];
      r = rstd[row];
    }
    var xh: array<f32, MAX_PER_THREAD>;
    var gs: array<f32, MAX_PER_THREAD>;
    var sums = vec2<f32>(0.0, 0.0); // (Σ g, Σ g ⊙ x̂)
    for (var k = 0u; k < PER_THREAD; k = k + 1u) {
      let col = l + k * LANES;
      var xv = 0.0;
      var dyv = 0.0;
      var gv = 0.0;
      if (valid && col < d) {
        xv = (x[base + col] - mu) * r;
        dyv = dy[base + col];
        gv = dyv * w[col];
      }
      xh[k] = xv;
      gs[k] = gv;
      sums = sums + vec2<f32>(gv, gv * xv);
      acc_w[k] = acc_w[k] + dyv * xv;
      acc_b[k] = acc_b[k] + dyv;
    }
    lane_sum[lin] = sums;
    workgroupBarrier();
    for (var st = LANES / 2u; st > 0u; st = st / 2u) {
      if (l < st) { lane_sum[lin] = lane_sum[lin] + lane_sum[lin + st]; }
      workgroupBarrier();
    }
    let m = lane_sum[slot * LANES] * inv_d; // (mean(g), mean(g ⊙ x̂))
    if (valid && p.has_dx != 0u) {
      for (var k = 0u; k < PER_THREAD; k = k + 1u) {
        let col = l + k * LANES;
        if (col < d) { dx[base + col] = dx[base + col] + r * (gs[k] - m.x - xh[k] * m.y); }
      }
    }
    workgroupBarrier(); // lane_sum is rewritten by the next group of rows
  }

  if (p.has_dwb != 0u) {
    let out = (block * slots + slot) * 2u * d;
    for (var k = 0u; k < PER_THREAD; k = k + 1u) {
      let col = l + k * LANES;
      if (col < d) {
        partial[out + col] = acc_w[k];
        partial[out + d + col] = acc_b[k];
      }
    }
  }
}
