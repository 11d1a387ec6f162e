// Cross-entropy loss with ignore index −100 (docs/protocol.md §6), fused with argmax and the per-class
// accuracy counters: one workgroup per row computes logsumexp, the row loss and the argmax and
// bumps u32 counters; a second one-workgroup pass takes the mean over scored rows. No float
// atomics anywhere, so the loss is deterministic. Backward: dlogits += (softmax − onehot)/n·dloss.
//
// Accuracy read-back pattern (metrics are per batch, docs/protocol.md §6):
//   1. counters = crossEntropyCounters(g, V) once, while building the graph;
//   2. zeroCrossEntropyCounters(g, counters) BEFORE crossEntropy(…, counters): in the forward
//      phase, or in 'batchStart' when a batch runs as several micro-batches (trainingProgram.ts);
//   3. after the step's submit (before the next step's submit — queue order then guarantees the
//      copy sees this batch's values), copy counters.perClass, counters.totals and the loss to a
//      staging buffer (double-buffered, read every N steps: webgpu-notes.md);
//   4. macroAccuracy(perClass) and microAccuracy(totals) give this batch's values; perplexity is
//      exp(loss). Epoch values are the batch-size-weighted mean of per-batch values.
// With micro-batches (gradient accumulation) the counters must cover the whole batch: they are
// additive, the accuracies are not, so they are zeroed once per batch and accumulate over its
// micro-batches (src/engine/trainingStep.ts).

import type { KernelTarget } from '../../../config/kernelTarget.ts';
import { bind, type Graph } from '../../graph.ts';
import { grid1d } from '../../launch.ts';
import { shaderSource } from '../../shaderSource.ts';
import type { Tensor } from '../../tensor.ts';
import { packUniform } from '../../uniform.ts';

/** PyTorch's default ignore_index; any target outside [0, V) is ignored the same way. */
export const IGNORE_INDEX = -100;

export const CROSS_ENTROPY_SHADERS = {
  forward: ['loss/cross_entropy_forward.wgsl', 'loss/cross_entropy_reduce.wgsl', 'loss/cross_entropy_zero.wgsl'],
  backward: ['loss/cross_entropy_backward.wgsl'],
} as const;

const WORKGROUP = 256;

/** 1, 4 and 8 measured alike on SwiftShader (the 32-wide rows took ~5 % of a training step). */
const CPU_ROW_WORKGROUP = 4;

/**
 * Invocations per row of the forward. GPUs: the next power of two ≥ V, between 32 (a warp) and
 * 256, so small vocabularies (MAD's V = 16…128) do not leave most of each workgroup idle. CPU
 * adapters (target 'cpu', as for attention and the norms) run workgroups as coroutines and pay
 * for every level of the tree: CPU_ROW_WORKGROUP invocations loop over the row.
 */
export function crossEntropyRowWorkgroup(vocab: number, layout: KernelTarget): number {
  if (layout === 'cpu') return CPU_ROW_WORKGROUP;
  return Math.min(256, Math.max(32, 2 ** Math.ceil(Math.log2(vocab))));
}

/** Per-batch accuracy counters (metric pool: never cleared by the step itself). */
export interface CrossEntropyCounters {
  /** [3, V] u32 — row 0: true positives per class; row 1: targets per class; row 2: predictions per class (scored positions only). */
  readonly perClass: Tensor;
  /** [2] u32 — scored positions, correct positions. */
  readonly totals: Tensor;
}

export function crossEntropyCounters(g: Graph, vocab: number, label = 'accuracy'): CrossEntropyCounters {
  return {
    perClass: g.metric([3, vocab], 'u32', `${label}.perClass`),
    totals: g.metric([2], 'u32', `${label}.totals`),
  };
}

/** Records one launch (in the current phase) that zeroes the counters: once per batch. */
export function zeroCrossEntropyCounters(g: Graph, counters: CrossEntropyCounters): void {
  const count = counters.perClass.size;
  g.launch({
    label: 'cross-entropy counters zero',
    source: shaderSource(CROSS_ENTROPY_SHADERS.forward[2]),
    entryPoint: 'main',
    constants: { WG: WORKGROUP },
    bindings: [bind(counters.perClass), bind(counters.totals), { kind: 'uniform', data: packUniform([['u32', count]]) }],
    workgroups: grid1d(count / WORKGROUP),
  });
}

export interface CrossEntropyResult {
  /** [1] f32: mean over scored positions of logsumexp − z_target (0 if none is scored). */
  loss: Tensor;
  /** [N] i32: argmax over V per row (first index on ties). */
  argmax: Tensor;
  /** [N] f32: each row's loss (0 for ignored rows). */
  rowLoss: Tensor;
}

/**
 * logits: [N, V] (or [B, T, V]) f32; targets: [N] (or [B, T]) i32 with −100 = ignore.
 * counters: where to count this batch's accuracy statistics (see the header for the pattern).
 */
export function crossEntropyWithArgmax(
  g: Graph,
  logits: Tensor,
  targets: Tensor,
  counters?: CrossEntropyCounters,
  layout?: KernelTarget,
): CrossEntropyResult {
  if (logits.dtype !== 'f32' || logits.rank < 2) throw new Error(`crossEntropy: logits must be [N, V] f32, got ${logits}`);
  if (targets.dtype !== 'i32') throw new Error(`crossEntropy: targets must be i32, got ${targets}`);
  const vocab = logits.lastDim;
  const rows = logits.size / vocab;
  if (targets.size !== rows) throw new Error(`crossEntropy: ${targets} does not match the ${rows} rows of ${logits}`);
  if (counters && counters.perClass.size !== 3 * vocab) throw new Error(`crossEntropy: counters ${counters.perClass} are not [3, ${vocab}]`);
  // Without counters the atomics still need somewhere to go: scratch nobody reads.
  const { perClass, totals } = counters ?? {
    perClass: g.tensor([3, vocab], 'u32', 'crossEntropy.unusedCounters'),
    totals: g.tensor([2], 'u32', 'crossEntropy.unusedTotals'),
  };

  const rowLoss = g.tensor([rows], 'f32', 'crossEntropy.rowLoss');
  const lse = g.tensor([rows], 'f32', 'crossEntropy.lse');
  const argmax = g.tensor([rows], 'i32', 'crossEntropy.argmax');
  const loss = g.tensor([1], 'f32', 'crossEntropy.loss');
  const invCount = g.tensor([1], 'f32', 'crossEntropy.invCount');
  const params = packUniform([
    ['u32', rows],
    ['u32', vocab],
  ]);
  g.launch({
    label: 'cross-entropy forward rows',
    source: shaderSource(CROSS_ENTROPY_SHADERS.forward[0]),
    entryPoint: 'main',
    constants: { WG: crossEntropyRowWorkgroup(vocab, layout ?? g.target) },
    bindings: [
      bind(logits),
      bind(targets),
      bind(rowLoss),
      bind(lse),
      bind(argmax),
      bind(perClass),
      bind(totals),
      { kind: 'uniform', data: params },
    ],
    workgroups: grid1d(rows),
  });
  g.launch({
    label: 'cross-entropy forward mean',
    source: shaderSource(CROSS_ENTROPY_SHADERS.forward[1]),
    entryPoint: 'main',
    constants: { WG: WORKGROUP },
    bindings: [bind(rowLoss), bind(targets), bind(loss), bind(invCount), { kind: 'uniform', data: params }],
    workgroups: [1, 1, 1],
  });

  // Saves for backward: logits, targets, lse, invCount.
  g.apply('crossEntropy', [logits, targets], [loss], ([dLoss], [dLogits]) => {
    if (!dLogits) return;
    g.launch({
      label: 'cross-entropy backward',
      source: shaderSource(CROSS_ENTROPY_SHADERS.backward[0]),
      entryPoint: 'main',
      constants: { WG: WORKGROUP },
      bindings: [bind(logits), bind(targets), bind(lse), bind(invCount), bind(dLoss!), bind(dLogits), { kind: 'uniform', data: params }],
      workgroups: grid1d((rows * vocab) / WORKGROUP),
    });
  });
  return { loss, argmax, rowLoss };
}

/** The loss alone: [1] f32. */
export function crossEntropy(g: Graph, logits: Tensor, targets: Tensor, counters?: CrossEntropyCounters): Tensor {
  return crossEntropyWithArgmax(g, logits, targets, counters).loss;
}
