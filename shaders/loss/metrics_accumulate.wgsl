// Adds one batch's metrics to running sums, on the GPU, so a training loop reads metrics back
// every N steps instead of every step (one invocation: a handful of adds, deterministic).
//   loss:      [1] f32 this batch's mean cross-entropy
//   per_class: [3, V] u32 this batch's TP, targets, predictions per class
//   totals:    [2] u32 this batch's scored and correct positions
//   sums:      [8] f32 running sums (layout: METRIC_SUMS in src/engine/metrics/metricSums.ts)
//   weight:    [1] f32 this batch's weight, its real rows (Lightning's batch size), written per
//              step because the last batch of an epoch is partial
// Macro accuracy is torchmetrics' MulticlassAccuracy(average='macro'): mean over classes with
// TP + FP + FN > 0 of TP / (TP + FN); epoch values are means of per-batch values (docs/protocol.md §6).

struct Params { vocab: u32 }

@group(0) @binding(0) var<storage, read_write> loss: array<f32>;
@group(0) @binding(1) var<storage, read_write> per_class: array<u32>;
@group(0) @binding(2) var<storage, read_write> totals: array<u32>;
@group(0) @binding(3) var<storage, read_write> sums: array<f32>;
@group(0) @binding(4) var<storage, read_write> weight: array<f32>;
@group(0) @binding(5) var<uniform> params: Params;

override WG: u32 = 64u;

var<workgroup> recall_sum: array<f32, WG>;
var<workgroup> class_count: array<u32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) lid: u32) {
  let v = params.vocab;
  var s = 0.0;
  var c = 0u;
  for (var k = lid; k < v; k += WG) {
    let tp = per_class[k];
    let targets = per_class[v + k];
    let predictions = per_class[2u * v + k];
    // TP + FP + FN = targets + predictions − TP > 0 exactly when targets + predictions > 0.
    if (targets + predictions > 0u) {
      c += 1u;
      if (targets > 0u) { s += f32(tp) / f32(targets); }
    }
  }
  recall_sum[lid] = s;
  class_count[lid] = c;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride = stride / 2u) {
    if (lid < stride) {
      recall_sum[lid] += recall_sum[lid + stride];
      class_count[lid] += class_count[lid + stride];
    }
    workgroupBarrier();
  }
  if (lid != 0u) { return; }
  let w = weight[0];
  let l = loss[0];
  let macro_acc = select(0.0, recall_sum[0] / f32(class_count[0]), class_count[0] > 0u);
  let micro_acc = select(0.0, f32(totals[1]) / f32(totals[0]), totals[0] > 0u);
  // A non-finite loss marks divergence; it is counted, and kept out of the sums.
  let finite = l == l && abs(l) <= 3.0e38;
  if (finite) {
    sums[0] += w * l;
    sums[1] += w * macro_acc;
    sums[2] += w * micro_acc;
    sums[3] += w * exp(l);
    sums[4] += w;
  } else {
    sums[7] += 1.0;
  }
  sums[5] += f32(totals[0]);
  sums[6] += f32(totals[1]);
}
