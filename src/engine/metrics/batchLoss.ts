// The loss of a batch that a step trains in micro-batches (shaders/loss/batch_loss.wgsl): zeroed
// in phase 'batchStart', then every micro-batch adds loss × share, where share is its fraction of
// the batch's scored targets, so the metric sums see the whole batch's mean cross-entropy.

import { bind, type Graph } from '../graph.ts';
import { shaderSource } from '../shaderSource.ts';
import type { Tensor } from '../tensor.ts';

export const BATCH_LOSS_SHADER = 'loss/batch_loss.wgsl';

/** Records the zeroing (phase 'batchStart') and the accumulation (the current phase); returns the [1] f32 batch loss. */
export function accumulateBatchLoss(g: Graph, loss: Tensor, share: Tensor): Tensor {
  if (loss.size !== 1 || share.size !== 1) throw new Error(`accumulateBatchLoss: loss ${loss} and share ${share} must both be [1]`);
  const batchLoss = g.tensor([1], 'f32', 'batch loss');
  g.inPhase('batchStart', () =>
    g.launch({ label: 'batch loss zero', source: shaderSource(BATCH_LOSS_SHADER), entryPoint: 'zero', constants: {}, bindings: [bind(batchLoss)], workgroups: [1, 1, 1] }),
  );
  g.launch({
    label: 'batch loss accumulate',
    source: shaderSource(BATCH_LOSS_SHADER),
    entryPoint: 'accumulate',
    constants: {},
    bindings: [bind(batchLoss), bind(share), bind(loss)],
    workgroups: [1, 1, 1],
  });
  return batchLoss;
}
