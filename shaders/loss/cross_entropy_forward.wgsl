// Cross-entropy rows fused with argmax and the per-class accuracy counters (docs/protocol.md §6).
// One workgroup per row n, looping over V with an online softmax (running max m and sum s),
// combined by a fixed tree, so each row's result is deterministic. Invocation 0 then writes:
//   row_loss[n] = logsumexp(z_n) − z_n[target]   (0 when the target is ignored)
//   lse[n]      = logsumexp(z_n)                 (saved for backward)
//   argmax[n]   = first index of the largest logit (torch.argmax's tie rule)
// and, for a scored row (target in [0, V); −100 and anything else outside is ignored), adds with
// u32 atomics (deterministic: integer addition commutes):
//   counters[0·V + target] += (argmax == target)   true positives
//   counters[1·V + target] += 1                    targets
//   counters[2·V + argmax] += 1                    predictions
//   totals[0] += 1 (scored positions), totals[1] += (argmax == target) (correct positions)
// Bindings:
//   logits: [N, V] f32 (N = B·T);  targets: [N] i32
//   row_loss, lse: [N] f32;  argmax: [N] i32
//   counters: [3, V] u32;  totals: [2] u32   (zeroed per batch by cross_entropy_zero.wgsl)

struct Params { rows: u32, vocab: u32 }

@group(0) @binding(0) var<storage, read_write> logits: array<f32>;
@group(0) @binding(1) var<storage, read_write> targets: array<i32>;
@group(0) @binding(2) var<storage, read_write> row_loss: array<f32>;
@group(0) @binding(3) var<storage, read_write> lse: array<f32>;
@group(0) @binding(4) var<storage, read_write> argmax: array<i32>;
@group(0) @binding(5) var<storage, read_write> counters: array<atomic<u32>>;
@group(0) @binding(6) var<storage, read_write> totals: array<atomic<u32>>;
@group(0) @binding(7) var<uniform> params: Params;

// Invocations per row; must be a power of two (tree reduction).
override WG: u32 = 256u;

const LOWEST: f32 = -3.4028234663852886e38;
const NONE: u32 = 0xffffffffu;

var<workgroup> red_max: array<f32, WG>;
var<workgroup> red_sum: array<f32, WG>;
var<workgroup> red_idx: array<u32, WG>;

@compute @workgroup_size(WG)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let row = wid.x + wid.y * nwg.x;
  if (row >= params.rows) { return; }
  let vocab = params.vocab;
  let base = row * vocab;

  // Strided online softmax: this invocation's max, its first index, and Σ exp(z − max).
  var m = LOWEST;
  var s = 0.0;
  var idx = NONE;
  for (var v = lid; v < vocab; v += WG) {
    let z = logits[base + v];
    if (z > m) {
      s = s * exp(m - z) + 1.0;
      m = z;
      idx = v;
    } else {
      s += exp(z - m);
    }
  }
  red_max[lid] = m;
  red_sum[lid] = s;
  red_idx[lid] = idx;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride >>= 1u) {
    if (lid < stride) {
      let m1 = red_max[lid];
      let m2 = red_max[lid + stride];
      let i1 = red_idx[lid];
      let i2 = red_idx[lid + stride];
      let mm = max(m1, m2);
      red_sum[lid] = red_sum[lid] * exp(m1 - mm) + red_sum[lid + stride] * exp(m2 - mm);
      if (m2 > m1 || (m2 == m1 && i2 < i1)) {
        red_max[lid] = m2;
        red_idx[lid] = i2;
      }
    }
    workgroupBarrier();
  }
  if (lid != 0u) { return; }

  let row_lse = red_max[0] + log(red_sum[0]);
  var pred = red_idx[0];
  if (pred == NONE) { pred = 0u; } // every logit −inf or NaN
  lse[row] = row_lse;
  argmax[row] = i32(pred);
  let tgt = targets[row];
  if (tgt < 0 || u32(tgt) >= vocab) {
    row_loss[row] = 0.0;
    return;
  }
  let t = u32(tgt);
  row_loss[row] = row_lse - logits[base + t];
  atomicAdd(&counters[vocab + t], 1u);
  atomicAdd(&counters[2u * vocab + pred], 1u);
  atomicAdd(&totals[0], 1u);
  if (pred == t) {
    atomicAdd(&counters[t], 1u);
    atomicAdd(&totals[1], 1u);
  }
}
