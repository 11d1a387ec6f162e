// Copies a batch's rows of a split into host arrays, as the loader's collate does: the trainer
// allocates one BatchBuffer per run and hands the step views of it, so gathering allocates nothing
// per step; gatherRows makes arrays of their own (batches kept for later, e.g. a fixed test set).

import type { SplitData } from '../tasks/dataset.ts';

export class BatchBuffer {
  private readonly ids: Int32Array;
  private readonly targets: Int32Array;

  constructor(
    readonly batchSize: number,
    readonly seqLen: number,
  ) {
    this.ids = new Int32Array(batchSize * seqLen);
    this.targets = new Int32Array(batchSize * seqLen);
  }

  /** [ids, targets] of `rows` (at most batchSize), rows × T each: views valid until the next gather. */
  gather(split: SplitData, rows: ArrayLike<number>): [Int32Array, Int32Array] {
    const T = this.seqLen;
    if (split.inputLength !== T) throw new Error(`the split's rows have ${split.inputLength} tokens, the batch takes ${T}`);
    if (rows.length > this.batchSize) throw new Error(`${rows.length} rows do not fit a batch of ${this.batchSize}`);
    for (let b = 0; b < rows.length; b++) {
      const row = rows[b]!;
      this.ids.set(split.inputs.subarray(row * T, (row + 1) * T), b * T);
      this.targets.set(split.targets.subarray(row * T, (row + 1) * T), b * T);
    }
    const n = rows.length * T;
    return [this.ids.subarray(0, n), this.targets.subarray(0, n)];
  }
}

/** [ids, targets] of `rows` in new arrays (rows × T each), for batches that are kept. */
export function gatherRows(split: SplitData, rows: ArrayLike<number>): [Int32Array, Int32Array] {
  const [ids, targets] = new BatchBuffer(rows.length, split.inputLength).gather(split, rows);
  return [ids, targets];
}
