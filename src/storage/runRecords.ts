// What the lab keeps of each run between visits (runStore.ts writes it to IndexedDB), and the
// decision made on page load: which stored runs were cut off by a reload or a closed tab and must
// start again, from their last checkpoint when one is stored (the worker checks it), or queue
// as they were; and which were cut off before their first training step, which are not started
// again on their own (a setting whose data generation crashes the tab would crash it again on
// every reload). Pure data and pure functions, shared by the page and the workers.

import type { EpochRecord, RunPlan, RunResult, RunStatus } from '../train/types.ts';

/** 'interrupted' only ever lives in the page: a stored 'running' run found on load. */
export type StoredRunStatus = 'queued' | 'running' | 'paused' | 'failed' | 'cancelled' | RunStatus;

export const FINISHED_STATUSES: ReadonlySet<StoredRunStatus> = new Set(['completed', 'early-stopped', 'diverged']);
export const ENDED_STATUSES: ReadonlySet<StoredRunStatus> = new Set([...FINISHED_STATUSES, 'failed', 'cancelled']);

/** How a run was asked for: one setting, a task's grid, a protocol profile, or one setting at several model widths. */
export type SweepKind = 'setting' | 'grid' | 'protocol' | 'width';

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
  // The fields below are absent in runs stored by earlier versions of the lab.
  /** Handed to a worker that has not started training it yet (generating data, compiling). */
  preparing?: boolean;
  /** The last write to storage that failed while the run went on; a later checkpoint clears it. */
  saveProblem?: SaveProblem | null;
  /** Why the stored checkpoint could not continue the run when it last started, or null. */
  checkpointUnused?: { epoch: number | null; reason: string } | null;
}

/** What a failed write was storing: a checkpoint (training goes on) or the finished model (predictions). */
export type SavedThing = 'checkpoint' | 'model';

export interface SaveProblem {
  what: SavedThing;
  /** For a checkpoint: the 0-based epoch it was taken after. */
  epoch: number | null;
  /** The browser refused the write for lack of room (QuotaExceededError). */
  storageFull: boolean;
  /** The error, one clause. */
  reason: string;
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
  /** Runs cut off before their first training step, now failed with the reason (to be stored so). */
  cutOff: StoredRun[];
}

export const CUT_OFF_BEFORE_FIRST_STEP =
  'The page closed or crashed while this run was being prepared (its data generated, its model compiled), before its first training step, ' +
  'so it was not started again on its own: if the page crashed, make the setting or the model smaller; otherwise press Start again.';

/** Was handed to a worker, and the page went away before the run ever trained a step. */
function cutOffBeforeFirstStep(run: StoredRun): boolean {
  const live = run.status === 'queued' || run.status === 'running';
  return live && run.preparing === true && run.epochs.length === 0 && run.checkpointEpoch === null;
}

/**
 * On page load: runs stored as 'running' were interrupted and restart (first, so the work in
 * progress finishes first); 'queued' runs queue again; runs cut off while being prepared for
 * their first step fail instead (see cutOffBeforeFirstStep); paused runs stay paused until the
 * user resumes them; ended runs stay as they are.
 */
export function planRestore(runs: readonly StoredRun[]): RestorePlan {
  const byAge = [...runs].sort((a, b) => a.createdAt - b.createdAt);
  const cutOff = byAge.filter(cutOffBeforeFirstStep).map((run): StoredRun => ({ ...run, status: 'failed', preparing: false, failure: CUT_OFF_BEFORE_FIRST_STEP }));
  const restartable = byAge.filter((run) => !cutOffBeforeFirstStep(run));
  const interrupted = restartable.filter((run) => run.status === 'running');
  const queued = restartable.filter((run) => run.status === 'queued');
  return { restart: [...interrupted, ...queued], interrupted: new Set(interrupted.map((run) => run.runId)), cutOff };
}

/**
 * The epoch records to keep when a run continues from the checkpoint taken after epoch
 * `fromEpoch` (0-based): later records are repeated by the resumed training.
 */
export function recordsUpTo(epochs: readonly EpochRecord[], fromEpoch: number): EpochRecord[] {
  return epochs.filter((record) => record.epoch <= fromEpoch);
}
