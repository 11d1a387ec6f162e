// The loss of a whole batch trained in micro-batches (gradient accumulation). Cross-entropy is a
// mean over the scored targets of the WHOLE batch (docs/protocol.md §6), so each micro-batch adds its own mean
// times its share of the batch's scored targets; after the last one batch_loss is the batch's mean,
// which the metric sums take. With one micro-batch the share is 1 and batch_loss equals the loss.
//   batch_loss: [1] f32;  share: [1] f32 (n_micro / n_batch, also the loss gradient's seed)
//   loss:       [1] f32 this micro-batch's mean cross-entropy
// Entry points: `zero` once per batch (phase batchStart, binds batch_loss only), `accumulate`
// after every micro-batch's cross-entropy.

@group(0) @binding(0) var<storage, read_write> batch_loss: array<f32>;
@group(0) @binding(1) var<storage, read_write> share: array<f32>;
@group(0) @binding(2) var<storage, read_write> loss: array<f32>;

@compute @workgroup_size(1)
fn zero() {
  batch_loss[0] = 0.0;
}

@compute @workgroup_size(1)
fn accumulate() {
  batch_loss[0] += share[0] * loss[0];
}
