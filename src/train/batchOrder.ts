// The training loader's order (docs/protocol.md §2: batch 128, shuffle=True, drop_last=False): every epoch a
// fresh permutation of the training rows, cut into ⌈N / B⌉ batches whose last one may be partial.
// Each epoch's permutation is a pure function of (seed, epoch), so a run resumed from a
// checkpoint at epoch e draws exactly the batches the uninterrupted run would have drawn.

import { Prng } from '../tasks/prng.ts';

/**
 * Prng streams of one seed: 0 is the data stream and 1 the parameter initialisation
 * (src/engine/params.ts); epoch e shuffles with stream SHUFFLE_STREAM_BASE + e.
 */
export const SHUFFLE_STREAM_BASE = 1024;

/** A Fisher–Yates permutation of 0 … count−1 for this seed and epoch. */
export function epochOrder(count: number, seed: number, epoch: number): Uint32Array {
  if (!Number.isInteger(count) || count < 1) throw new Error(`epochOrder needs a positive row count, got ${count}`);
  if (!Number.isInteger(epoch) || epoch < 0) throw new Error(`epochOrder needs an epoch ≥ 0, got ${epoch}`);
  const rng = new Prng(seed, SHUFFLE_STREAM_BASE + epoch);
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  for (let i = count - 1; i > 0; i--) {
    const j = rng.integer(i + 1);
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}

/** The identity order (the test loader: shuffle=False). */
export function sequentialOrder(count: number): Uint32Array {
  return Uint32Array.from({ length: count }, (_, i) => i);
}

/** Batches per pass over `count` rows: the last partial batch is kept. */
export function batchesPerPass(count: number, batchSize: number): number {
  return Math.ceil(count / batchSize);
}

/** The rows of batch `index` of an order: a view, batchSize long except possibly the last. */
export function batchRows(order: Uint32Array, batchSize: number, index: number): Uint32Array {
  const start = index * batchSize;
  if (start >= order.length || index < 0) throw new Error(`batch ${index} is outside the ${batchesPerPass(order.length, batchSize)} batches of this pass`);
  return order.subarray(start, Math.min(start + batchSize, order.length));
}
