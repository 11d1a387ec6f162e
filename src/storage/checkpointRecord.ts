// Stored checkpoints: when to write one, how it is stored, and whether a stored one may resume a
// run. A checkpoint is kept only for the plan it was taken under (the plan's canonical JSON is
// stored beside it) and in the format this code writes, so a changed plan or an older lab
// version starts the run from scratch instead of loading weights of another shape.

import { canonicalJson } from '../train/canonicalJson.ts';
import type { RunPlan } from '../train/types.ts';

/** Bump when the stored checkpoint's shape changes; older ones are then ignored. */
export const CHECKPOINT_FORMAT = 1;
/** Training seconds after which a checkpoint is written even before `checkpointEvery` epochs. */
export const CHECKPOINT_SECONDS = 30;

export interface StoredCheckpoint<C> {
  runId: string;
  format: number;
  planKey: string;
  /** The 0-based epoch after which it was taken; training continues with epoch + 1. */
  epoch: number;
  savedAt: number;
  checkpoint: C;
}

/** Decides, at the end of each epoch, whether to persist: every `every` epochs or CHECKPOINT_SECONDS of training. */
export class CheckpointSchedule {
  private epochsSince = 0;
  private secondsSince = 0;

  constructor(
    private readonly every: number,
    private readonly seconds = CHECKPOINT_SECONDS,
  ) {
    if (!Number.isInteger(every) || every < 1) throw new Error(`checkpointEvery must be a whole number of epochs ≥ 1, got ${every}.`);
  }

  /** Counts one finished epoch that took `epochSeconds` of training; true when a checkpoint is due. */
  epochEnded(epochSeconds: number): boolean {
    this.epochsSince++;
    this.secondsSince += epochSeconds;
    if (this.epochsSince < this.every && this.secondsSince < this.seconds) return false;
    this.epochsSince = 0;
    this.secondsSince = 0;
    return true;
  }
}

/** The plan as canonical JSON, so equal plans give equal keys. */
export function planKey(plan: RunPlan): string {
  return canonicalJson(plan);
}

export function checkpointRecord<C>(runId: string, plan: RunPlan, epoch: number, checkpoint: C, savedAt: number): StoredCheckpoint<C> {
  return { runId, format: CHECKPOINT_FORMAT, planKey: planKey(plan), epoch, savedAt, checkpoint: compactTypedArrays(checkpoint) };
}

export type CheckpointVerdict<C> = { usable: true; checkpoint: C; epoch: number } | { usable: false; reason: string };

export function usableCheckpoint<C>(stored: StoredCheckpoint<C> | undefined, plan: RunPlan): CheckpointVerdict<C> {
  if (stored === undefined) return { usable: false, reason: 'no checkpoint was stored' };
  if (stored.format !== CHECKPOINT_FORMAT) {
    return { usable: false, reason: `the stored checkpoint has format ${stored.format}, this version reads format ${CHECKPOINT_FORMAT}` };
  }
  if (stored.planKey !== planKey(plan)) return { usable: false, reason: 'the stored checkpoint belongs to a different plan' };
  if (stored.epoch + 1 >= plan.training.epochs) return { usable: false, reason: 'the stored checkpoint is past the last epoch' };
  return { usable: true, checkpoint: stored.checkpoint, epoch: stored.epoch };
}

/**
 * A copy of `value` in which every typed array owns exactly its bytes. Structured clone (postMessage,
 * IndexedDB) copies a view's whole underlying buffer, so a parameter tensor read back as a view of
 * one big staging buffer would otherwise be stored once per view.
 */
export function compactTypedArrays<T>(value: T): T {
  if (ArrayBuffer.isView(value)) {
    if (value instanceof DataView) return new DataView(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength)) as T;
    const view = value as unknown as { slice(): unknown };
    return view.slice() as T;
  }
  if (Array.isArray(value)) return value.map((item: unknown) => compactTypedArrays(item)) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, compactTypedArrays(item)])) as T;
  }
  return value;
}
