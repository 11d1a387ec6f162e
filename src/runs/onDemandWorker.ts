// A page-side worker started on the first request and replaced after it dies: a dead worker
// (its script failed, it threw, or it sent what the page cannot read) fails the pending request
// with a sentence naming it, instead of leaving the request waiting forever. The prediction,
// weights and GPU check clients are each one of these.

import { wrap, type Remote } from 'comlink';

export interface OnDemandWorker<Api> {
  /** Runs `request` on the live worker (starting one if needed); rejects if the worker dies first. */
  call<T>(request: (api: Remote<Api>) => Promise<T>): Promise<T>;
  /** Runs `notify` on the worker if one is live; starts none. */
  ifStarted(notify: (api: Remote<Api>) => void): void;
}

interface Live<Api> {
  worker: Worker;
  api: Remote<Api>;
  died: Promise<never>;
}

/**
 * `start` must construct the Worker itself (`new Worker(new URL('…', import.meta.url), …)` at the
 * call site, the form Vite bundles); `name` and `advice` make the death message, e.g.
 * "The weights worker stopped (…): try again."
 */
export function onDemandWorker<Api>(start: () => Worker, name: string, advice: string): OnDemandWorker<Api> {
  let current: Live<Api> | null = null;

  const launch = (): Live<Api> => {
    const worker = start();
    const died = new Promise<never>((_, reject) => {
      const stop = (reason: string) => {
        if (current?.worker === worker) current = null;
        worker.terminate();
        reject(new Error(`The ${name} stopped (${reason}): ${advice}`));
      };
      worker.addEventListener('error', (event) => {
        event.preventDefault();
        stop(event.message || 'its script failed to load or threw');
      });
      worker.addEventListener('messageerror', () => stop('it sent a message the page could not read'));
    });
    died.catch(() => {});
    return { worker, api: wrap<Api>(worker), died };
  };

  return {
    call(request) {
      const live = (current ??= launch());
      return Promise.race([request(live.api), live.died]);
    },
    ifStarted(notify) {
      if (current) notify(current.api);
    },
  };
}
