// What the lab keeps of each run between visits (runStore.ts writes it to IndexedDB), and the
// decision made on page load: which stored runs were cut off by a reload or a closed tab and must
// start again, from their last checkpoint when one is stored (the worker checks it), or queue
// as they were. Pure data and pure functions, shared by the page and the workers.

import type { EpochRecord, RunPlan, RunResult, RunStatus } from '../train/types.ts';

/** 'interrupted' only ever lives in the page: a stored 'running' run found on load. */
export type StoredRunStatus = 'queued' | 'running' | 'paused' | 'failed' | 'cancelled' | RunStatus;

export const FINISHED_STATUSES: ReadonlySet<StoredRunStatus> = new Set(['completed', 'early-stopped', 'diverged']);
export const ENDED_STATUSES: ReadonlySet<StoredRunStatus> = new Set([...FINISHED_STATUSES, 'failed', 'cancelled']);

/** How a run was asked for: one setting, a task's grid, or a protocol profile. */
export type SweepKind = 'setting' | 'grid' | 'protocol';

export interface RunOptions {
  /** Persist a checkpoint after this many epochs (or after CHECKPOINT_SECONDS, whichever is earlier). */
  checkpointEvery: number;
}

export const DEFAULT_RUN_OPTIONS: RunOptions = { checkpointEvery: 5 };

export interface StoredRun {
  runId: string;
  plan: RunPlan;
  options: RunOptions;
  /** The launch this run belongs to (all runs of one grid or protocol share it). */
  sweepId: string;
  sweepKind: SweepKind;
  /** For the run list: the setting and, for sweeps, the sweep point. */
  label: string;
  /** Date.now() at submission; orders the list and the restart queue. */
  createdAt: number;
  status: StoredRunStatus;
  /** Epoch records as they arrived (cut back to the restored checkpoint on resume). */
  epochs: EpochRecord[];
  /** The last epoch whose checkpoint the worker reported persisted, or null. */
  checkpointEpoch: number | null;
  result: RunResult | null;
  /** Why the run failed (one sentence), or null. */
  failure: string | null;
}

/** One launch: a setting, a grid or a protocol, and its runs in order (its progress is theirs). */
export interface StoredSweep {
  sweepId: string;
  kind: SweepKind;
  label: string;
  /** The protocol profile's name for kind 'protocol'. */
  profile: string | null;
  runIds: string[];
  createdAt: number;
}

export interface RestorePlan {
  /** Runs to submit again, oldest first: interrupted ones (they continue from their checkpoint), then queued ones. */
  restart: StoredRun[];
  /** Run ids that were training when the page went away. */
  interrupted: Set<string>;
}

/**
 * On page load: runs stored as 'running' were interrupted and restart (first, so the work in
 * progress finishes first); 'queued' runs queue again; paused runs stay paused until the user
 * resumes them; ended runs stay as they are.
 */
export function planRestore(runs: readonly StoredRun[]): RestorePlan {
  const byAge = [...runs].sort((a, b) => a.createdAt - b.createdAt);
  const interrupted = byAge.filter((run) => run.status === 'running');
  const queued = byAge.filter((run) => run.status === 'queued');
  return { restart: [...interrupted, ...queued], interrupted: new Set(interrupted.map((run) => run.runId)) };
}

/**
 * The epoch records to keep when a run continues from the checkpoint taken after epoch
 * `fromEpoch` (0-based): later records are repeated by the resumed training.
 */
export function recordsUpTo(epochs: readonly EpochRecord[], fromEpoch: number): EpochRecord[] {
  return epochs.filter((record) => record.epoch <= fromEpoch);
}
