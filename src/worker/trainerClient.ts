// The page's side of one training worker: starts trainer.worker.ts as a module worker, talks to
// it through comlink, and turns the ways a worker dies (an uncaught error, a message that cannot
// be read, a call that fails because the worker is gone) into one onCrash report for the pool.

import { proxy, releaseProxy, wrap } from 'comlink';
import type { TrainerWorkerApi } from './api.ts';
import type { PoolWorker, PoolWorkerHooks } from './runPool.ts';

export function createTrainerWorker(hooks: PoolWorkerHooks): PoolWorker {
  const worker = new Worker(new URL('./trainer.worker.ts', import.meta.url), { type: 'module', name: 'mad-lab-trainer' });
  worker.addEventListener('error', (event) => {
    event.preventDefault();
    hooks.onCrash(event.message || 'its script failed to load or threw');
  });
  worker.addEventListener('messageerror', () => hooks.onCrash('it sent a message the page could not read'));

  const api = wrap<TrainerWorkerApi>(worker);
  const connected = api.connect(proxy(hooks.onEvents));
  const call = (what: string, work: () => Promise<unknown>): void => {
    work().catch((error: unknown) => hooks.onCrash(`${what} failed: ${error instanceof Error ? error.message : String(error)}`));
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
