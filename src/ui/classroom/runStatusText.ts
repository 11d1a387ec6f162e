// One short line on where a demo's run stands, for the panel under its model's name.
import type { RunView } from '../../state/runsStore.ts';

export function runStatusText(run: RunView | null): string {
  if (run === null) return 'Not run yet';
  switch (run.status) {
    case 'queued':
      return 'Waiting for a free training worker';
    case 'interrupted':
      return 'Restarting after the page was reloaded';
    case 'running':
      return `Training: epoch ${Math.min(Math.floor(run.position) + 1, run.totalEpochs)} of ${run.totalEpochs}`;
    case 'paused':
      return 'Paused (resume it on the Runs page)';
    case 'completed':
    case 'early-stopped':
      return `Done: test accuracy ${run.result ? run.result.row.test_acc.toFixed(2) : '–'}`;
    case 'diverged':
      return 'Diverged: the loss became infinite or not a number';
    case 'failed':
      return `Failed: ${run.failure ?? 'no reason given'}`;
    case 'cancelled':
      return 'Cancelled';
  }
}

/** True while the run still has work to do (the demo's button waits for it). */
export function runIsActive(run: RunView | null): boolean {
  return run !== null && ['queued', 'interrupted', 'running', 'paused'].includes(run.status);
}
