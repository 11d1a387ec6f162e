// How many micro-batches a run needs (gradient accumulation, same result as the full batch; see
// src/engine/trainingStep.ts). The program is traced, which is cheap and touches no GPU, at
// ⌈B / k⌉ rows for k = 1, 2, 4, …, and the first k whose memory fits is chosen: every pool must
// fit one buffer and one binding (maxBufferSize, maxStorageBufferBindingSize, as compileGraph
// requires) and all pools together must stay within a memory budget, since WebGPU does not say
// how much memory the device has. At MAD's shapes (B 128, T 128, d 128) the activations and
// their gradients take about 0.5–2 GiB, more than many devices bind at once.

import type { TrainingProgram } from '../engine/trainingStep.ts';

/** Default for the total pool bytes of one run: fits integrated GPUs and browsers' limits. */
export const DEFAULT_MEMORY_BUDGET_BYTES = 2 ** 30;

export interface DeviceMemoryLimits {
  maxBufferSize: number;
  maxStorageBufferBindingSize: number;
}

export interface MicroBatchPlan<P extends TrainingProgram> {
  microBatches: number;
  /** Rows of one micro-batch: ⌈batchSize / microBatches⌉. */
  microBatchRows: number;
  /** The program traced at microBatchRows, ready to compile. */
  program: P;
  /** Bytes of all its pools. */
  bytes: number;
}

/**
 * Traces `build(rows)` at decreasing micro-batch sizes until it fits; with `forced`, traces that
 * split only and fails if it does not fit.
 */
export function planMicroBatches<P extends TrainingProgram>(
  build: (rows: number) => P,
  batchSize: number,
  limits: DeviceMemoryLimits,
  { budgetBytes = DEFAULT_MEMORY_BUDGET_BYTES, forced }: { budgetBytes?: number; forced?: number } = {},
): MicroBatchPlan<P> {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`the batch size must be a positive integer, got ${batchSize}`);
  const maxPool = Math.min(limits.maxBufferSize, limits.maxStorageBufferBindingSize);
  const candidates = forced !== undefined ? [forced] : powersOfTwoUpTo(batchSize);
  let last = '';
  for (const k of candidates) {
    if (!Number.isInteger(k) || k < 1 || k > batchSize) throw new Error(`micro-batches must be an integer from 1 to the batch size ${batchSize}, got ${k}`);
    const rows = Math.ceil(batchSize / k);
    const program = build(rows);
    const pools = Object.entries(program.graph.plannedBytes);
    const bytes = pools.reduce((sum, [, b]) => sum + b, 0);
    const [largestPool, largest] = pools.reduce((a, b) => (b[1] > a[1] ? b : a));
    if (largest <= maxPool && bytes <= budgetBytes) return { microBatches: k, microBatchRows: rows, program, bytes };
    last =
      `${k} micro-batch${k === 1 ? '' : 'es'} of ${rows} rows need ${mib(bytes)} in all (budget ${mib(budgetBytes)}) ` +
      `and ${mib(largest)} of ${largestPool} memory in one buffer (this GPU allows ${mib(maxPool)})`;
  }
  throw new Error(`The model does not fit this GPU: ${last}. Use a narrower model, a shorter sequence or a larger memory budget.`);
}

function powersOfTwoUpTo(n: number): number[] {
  const out: number[] = [];
  for (let k = 1; k < n; k *= 2) out.push(k);
  out.push(n);
  return out;
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}
