// The page's side of one training worker: starts trainer.worker.ts as a module worker, talks to
// it through comlink, and turns the ways a worker dies (an uncaught error, a message that cannot
// be read, a call that fails because the worker is gone) into one onCrash report for the pool.
//
// Test-only: `?holdDataMs=N` in the page's URL (before the #route) keeps the first training
// worker's thread busy for N ms (at most MAX_DATA_HOLD_MS) before its first run's data
// generation, as a huge setting does, so e2e/recovery.spec.ts can cancel a run whose worker
// cannot answer. It slows nothing else: later workers, and pages without it, never hold.

import { proxy, releaseProxy, wrap } from 'comlink';
import type { TrainerWorkerApi, WorkerSetup } from '../worker/api.ts';
import { errorText } from '../storage/errorText.ts';
import type { PoolWorker, PoolWorkerHooks } from './runPool.ts';

const MAX_DATA_HOLD_MS = 120_000;

/** The hold the next worker gets: the URL's, for the first worker only. */
let pendingDataHoldMs = dataHoldFromUrl();

function dataHoldFromUrl(): number {
  if (typeof location === 'undefined') return 0;
  const ms = Number(new URLSearchParams(location.search).get('holdDataMs'));
  return Number.isFinite(ms) && ms > 0 ? Math.min(ms, MAX_DATA_HOLD_MS) : 0;
}

export function createTrainerWorker(hooks: PoolWorkerHooks): PoolWorker {
  const worker = new Worker(new URL('../worker/trainer.worker.ts', import.meta.url), { type: 'module', name: 'mad-lab-trainer' });
  worker.addEventListener('error', (event) => {
    event.preventDefault();
    hooks.onCrash(event.message || 'its script failed to load or threw');
  });
  worker.addEventListener('messageerror', () => hooks.onCrash('it sent a message the page could not read'));

  const api = wrap<TrainerWorkerApi>(worker);
  const setup: WorkerSetup = { holdDataGenerationMs: pendingDataHoldMs };
  pendingDataHoldMs = 0;
  const connected = api.connect(proxy(hooks.onEvents), setup);
  const call = (what: string, work: () => Promise<unknown>): void => {
    work().catch((error: unknown) => hooks.onCrash(`${what} failed: ${errorText(error)}`));
  };

  return {
    startRun: async (plan, runId, options) => {
      await connected;
      return api.startRun(plan, runId, options);
    },
    pause: (runId) => call('pause', () => api.pause(runId)),
    resume: (runId) => call('resume', () => api.resume(runId)),
    cancel: (runId) => call('cancel', () => api.cancel(runId)),
    terminate: () => {
      api[releaseProxy]();
      worker.terminate();
    },
  };
}
