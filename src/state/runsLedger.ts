// The runs store as the run controller's ledger. The controller (runs/) sits below the stores, so
// it is handed this object instead of importing the store: each method reads the store's current
// state or calls its named action of the same name.

import type { RunLedger } from '../runs/runController.ts';
import { storedRunOf, useRunsStore } from './runsStore.ts';

export const runsStoreLedger: RunLedger = {
  run: (runId) => useRunsStore.getState().runs[runId],
  storedRun: (runId) => {
    const view = useRunsStore.getState().runs[runId];
    return view && storedRunOf(view);
  },
  runsLoaded: (stored, interrupted) => useRunsStore.getState().runsLoaded(stored, interrupted),
  runsQueued: (stored) => useRunsStore.getState().runsQueued(stored),
  sweepsLoaded: (sweeps) => useRunsStore.getState().sweepsLoaded(sweeps),
  eventsReceived: (batch, now) => useRunsStore.getState().eventsReceived(batch, now),
  runRequeued: (runId) => useRunsStore.getState().runRequeued(runId),
  runRemoved: (runId) => useRunsStore.getState().runRemoved(runId),
  runnerChanged: (runner) => useRunsStore.getState().runnerChanged(runner),
  runnerFailed: (problem) => useRunsStore.getState().runnerFailed(problem),
};
