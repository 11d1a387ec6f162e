// Cross-entropy, second pass: the mean over scored rows, reduced in one workgroup in a fixed
// order (strided per-invocation sums, then a tree), so the loss is deterministic.
//   row_loss: [N] f32 (0 for ignored rows);  targets: [N] i32
//   loss:      [1] f32 = Σ row_loss / n_scored, 0 when no row is scored (n_scored = 0)
//   inv_count: [1] f32 = 1 / n_scored (0 when none), read by the backward

struct Params { rows: u32, vocab: u32 }

@group(0) @binding(0) var<storage, read_write> row_loss: array<f32>;
@group(0) @binding(1) var<storage, read_write> targets: array<i32>;
@group(0) @binding(2) var<storage, read_write> loss: array<f32>;
@group(0) @binding(3) var<storage, read_write> inv_count: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;

// Must be a power of two.
override WG: u32 = 256u;

var<workgroup> red_sum: array<f32, WG>;
var<workgroup> red_count: array<u32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) lid: u32) {
  var s = 0.0;
  var c = 0u;
  for (var r = lid; r < params.rows; r += WG) {
    s += row_loss[r];
    let t = targets[r];
    if (t >= 0 && u32(t) < params.vocab) { c++; }
  }
  red_sum[lid] = s;
  red_count[lid] = c;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride >>= 1u) {
    if (lid < stride) {
      red_sum[lid] += red_sum[lid + stride];
      red_count[lid] += red_count[lid + stride];
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    let n = red_count[0];
    if (n == 0u) {
      loss[0] = 0.0;
      inv_count[0] = 0.0;
    } else {
      loss[0] = red_sum[0] / f32(n);
      inv_count[0] = 1.0 / f32(n);
    }
  }
}
