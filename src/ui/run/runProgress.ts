// Progress and time left of a run, for the run list. The ETA extrapolates the speed measured
// since training last (re)started, so a pause or a reload does not count as slow training; it is
// unknown until a step has been seen.

import type { RunView, RunViewStatus } from '../../state/runsStore.ts';
import { ENDED_STATUSES, FINISHED_STATUSES, type StoredSweep } from '../../worker/runRecords.ts';

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

/** "45 s", "12 min", "3 h 05 min". */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.max(0, Math.round(seconds))} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
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
