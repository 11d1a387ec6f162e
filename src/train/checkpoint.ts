// A run's checkpoint: everything needed to continue it exactly, as plain data (typed arrays and
// plain objects, so it crosses postMessage and goes to IndexedDB or disk as is). The batch order is
// a function of (seed, epoch), so with these a resumed run repeats the uninterrupted one.

import { canonicalJson } from './canonicalJson.ts';
import type { ScheduleState } from './schedule.ts';
import type { EarlyStopState } from './earlyStopping.ts';
import type { EpochRecord, RunPlan } from './types.ts';

export const CHECKPOINT_VERSION = 1;

export interface Checkpoint {
  version: typeof CHECKPOINT_VERSION;
  plan: RunPlan;
  /** The first epoch still to train (0-based): the epochs before it are in `epochs`. */
  nextEpoch: number;
  /** The micro-batching the run used; a resumed run keeps it (it changes rounding). */
  microBatches: number;
  /** The whole param pool and the whole optimizer pool (AdamW's moments), and AdamW's t. */
  parameters: Float32Array;
  optimizerState: Float32Array;
  optimizerSteps: number;
  schedule: ScheduleState;
  earlyStop: EarlyStopState;
  /** The lowest-test-perplexity epoch so far and its parameters (null before any finished epoch). */
  best: { epoch: number; perplexity: number; parameters: Float32Array } | null;
  epochs: EpochRecord[];
  /** Training time spent before this checkpoint. */
  seconds: number;
}

/** Why `checkpoint` cannot continue `plan`, as a clause ("it was saved by …"), or null when it can. */
export function resumeProblem(checkpoint: Checkpoint, plan: RunPlan): string | null {
  if (checkpoint.version !== CHECKPOINT_VERSION) return `it has format ${String(checkpoint.version)}, this version reads ${CHECKPOINT_VERSION}`;
  if (canonicalJson(checkpoint.plan) !== canonicalJson(plan)) return 'it was saved by a different run plan (model, task or hyper-parameters)';
  if (checkpoint.nextEpoch !== checkpoint.epochs.length) {
    return `it is inconsistent (next epoch ${checkpoint.nextEpoch}, ${checkpoint.epochs.length} epoch records)`;
  }
  return null;
}

/** Throws a one-sentence error unless `checkpoint` continues `plan`. */
export function assertResumes(checkpoint: Checkpoint, plan: RunPlan): void {
  const problem = resumeProblem(checkpoint, plan);
  if (problem !== null) throw new Error(`This checkpoint cannot continue the run: ${problem}. Resume it with its own plan, or start the run again.`);
}
