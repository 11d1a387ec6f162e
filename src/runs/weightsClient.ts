// The page's weights worker (worker/weights.worker.ts): builds a finished run's weights file and
// reads a user's weights file off the page's thread. Started on the first request; a worker that
// dies fails the pending request and is replaced by the next one.

import { wrap, type Remote } from 'comlink';
import type { RunPrediction } from '../worker/predictions.ts';
import type { LoadedWeights, WeightsWorkerApi } from '../worker/weightsApi.ts';

interface WeightsWorker {
  worker: Worker;
  api: Remote<WeightsWorkerApi>;
  /** Rejects when the worker dies, so a pending request fails instead of waiting forever. */
  died: Promise<never>;
}

let current: WeightsWorker | null = null;

function startWorker(): WeightsWorker {
  const worker = new Worker(new URL('../worker/weights.worker.ts', import.meta.url), { type: 'module', name: 'mad-lab-weights' });
  const died = new Promise<never>((_, reject) => {
    const stop = (reason: string) => {
      if (current?.worker === worker) current = null;
      worker.terminate();
      reject(new Error(`The weights worker stopped (${reason}): try again.`));
    };
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      stop(event.message || 'its script failed to load or threw');
    });
    worker.addEventListener('messageerror', () => stop('it sent a message the page could not read'));
  });
  died.catch(() => {});
  return { worker, api: wrap<WeightsWorkerApi>(worker), died };
}

function call<T>(request: (api: Remote<WeightsWorkerApi>) => Promise<T>): Promise<T> {
  const target = (current ??= startWorker());
  return Promise.race([request(target.api), target.died]);
}

/** A finished run's stored model as a .safetensors file. */
export function runWeightsFile(runId: string): Promise<Uint8Array> {
  return call((api) => api.exportRunWeights(runId));
}

/** Reads and checks a weights file the user picked; rejects with a sentence saying what is wrong. */
export function loadWeightsFile(file: File): Promise<LoadedWeights> {
  return call((api) => api.loadWeightsFile(file, file.name));
}

export function predictWithWeights(key: string, inputs: Int32Array): Promise<RunPrediction> {
  return call((api) => api.predict(key, inputs));
}

export function releaseWeights(key: string): void {
  void current?.api.release(key);
}
