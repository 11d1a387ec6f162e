// Progress and time left of a run, for the run list, and the run list's wording of a run's state,
// of storage problems and of how a stopped run can go on. The ETA extrapolates the speed measured
// since training last (re)started, so a pause or a reload does not count as slow training; it is
// unknown until a step has been seen; until then a queued run shows the estimate of its plan at the
// adapter's measured speed. Epochs are 0-based in the data and 1-based on screen.

import type { Workload } from '../../model/trainingTime.ts';
import type { RunView, RunViewStatus } from '../../state/runsStore.ts';
import { runsWorkload } from '../../train/protocolCompute.ts';
import { ENDED_STATUSES, FINISHED_STATUSES, type SaveProblem, type StoredSweep } from '../../storage/runRecords.ts';

/** Share of the planned epochs done, in [0, 1]; an early-stopped run counts as done. */
export function progressFraction(view: Pick<RunView, 'position' | 'totalEpochs' | 'result'>): number {
  if (view.result) return 1;
  if (view.totalEpochs <= 0) return 0;
  return Math.min(1, Math.max(0, view.position / view.totalEpochs));
}

/** Seconds left at the current speed, or null when not training or not yet measurable. */
export function etaSeconds(view: Pick<RunView, 'position' | 'totalEpochs' | 'clock'>, now: number): number | null {
  if (view.clock === null) return null;
  const epochsDone = view.position - view.clock.positionAtSince;
  const seconds = (now - view.clock.since) / 1000;
  if (epochsDone <= 0 || seconds <= 0) return null;
  return ((view.totalEpochs - view.position) * seconds) / epochsDone;
}

// One wording of a duration for measured ETAs and estimates alike.
export { formatDuration } from '../../model/trainingTime.ts';

/** Per run id: a plan never changes, and counting its model traces it, too slow for every render of a long list. */
const planWorkloads = new Map<string, Workload>();

/**
 * What a run has still to train, from its plan (its epochs not yet done), for the estimate a
 * queued run shows until its own measured ETA (etaSeconds) takes over.
 */
export function remainingWorkload(run: Pick<RunView, 'runId' | 'plan' | 'position' | 'totalEpochs' | 'result'>): Workload {
  let whole = planWorkloads.get(run.runId);
  if (whole === undefined) {
    whole = runsWorkload([run.plan]);
    planWorkloads.set(run.runId, whole);
  }
  const left = 1 - progressFraction(run);
  return { flops: whole.flops * left, steps: Math.ceil(whole.steps * left) };
}

export const STATUS_LABELS: Record<RunViewStatus, string> = {
  queued: 'queued',
  running: 'training',
  paused: 'paused',
  interrupted: 'interrupted, resuming',
  completed: 'completed',
  'early-stopped': 'stopped early (accuracy > 0.999)',
  diverged: 'diverged',
  failed: 'failed',
  cancelled: 'cancelled',
};

/** The state shown for a run: a queued run that a worker is preparing says so. */
export function statusLabel(run: Pick<RunView, 'status' | 'preparing'>): string {
  return run.status === 'queued' && run.preparing ? 'preparing data and model' : STATUS_LABELS[run.status];
}

/** The warning for a write that failed while the run went on: what it costs and what to do. */
export function saveProblemText(problem: SaveProblem): string {
  if (problem.what === 'checkpoint') {
    const which = problem.epoch === null ? 'the latest checkpoint' : `the checkpoint after epoch ${problem.epoch + 1}`;
    return problem.storageFull
      ? `Checkpoints paused: storage is full (${problem.reason}), so ${which} was not saved. Training goes on and saves again at the next checkpoint; free disk space or remove old runs to make room.`
      : `Checkpoints paused: ${which} could not be saved (${problem.reason}). Training goes on and tries again at the next checkpoint.`;
  }
  return problem.storageFull
    ? `Predictions unavailable: storage is full (${problem.reason}), so the trained model was not saved; the results are kept. Free disk space or remove old runs, then train the run again to see its predictions.`
    : `Predictions unavailable: the trained model could not be saved (${problem.reason}); the results are kept. Train the run again to see its predictions.`;
}

/** Why the stored checkpoint was not used, and that training began again from the start. */
export function checkpointUnusedText(unused: { epoch: number | null; reason: string }): string {
  const which = unused.epoch === null ? 'The stored checkpoint' : `The checkpoint saved after epoch ${unused.epoch + 1}`;
  return `${which} was not used: ${unused.reason}; training started again from epoch 1.`;
}

/**
 * The button of a failed or cancelled run: it continues with the epoch after its stored
 * checkpoint (saved after epoch N, it continues from epoch N + 1), or starts again without one.
 */
export function restartLabel(run: Pick<RunView, 'checkpointEpoch'>): string {
  return run.checkpointEpoch === null ? 'Start again' : `Continue from epoch ${run.checkpointEpoch + 2}`;
}

export interface SweepProgress {
  /** Runs of the sweep still listed (removed ones no longer count). */
  total: number;
  finished: number;
  /** Failed or cancelled. */
  stopped: number;
  /** Share of the listed runs that ended, in [0, 1]. */
  fraction: number;
}

/** How far a grid or protocol has come: its runs that finished, and those that failed or were cancelled. */
export function sweepProgress(sweep: Pick<StoredSweep, 'runIds'>, runs: Readonly<Record<string, Pick<RunView, 'status'>>>): SweepProgress {
  const listed = sweep.runIds.map((id) => runs[id]).filter((run) => run !== undefined);
  const finished = listed.filter((run) => FINISHED_STATUSES.has(run.status === 'interrupted' ? 'running' : run.status)).length;
  const ended = listed.filter((run) => ENDED_STATUSES.has(run.status === 'interrupted' ? 'running' : run.status)).length;
  return { total: listed.length, finished, stopped: ended - finished, fraction: listed.length === 0 ? 0 : ended / listed.length };
}
