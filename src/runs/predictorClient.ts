// The page's prediction worker: one trainer.worker.ts kept apart from the run pool, so showing a
// finished run's predictions neither waits for a training slot nor needs a run to be training.
// Started on the first request; a worker that dies is replaced by the next request.

import { wrap, type Remote } from 'comlink';
import type { TrainerWorkerApi } from '../worker/api.ts';
import type { RunPrediction } from '../worker/predictions.ts';

interface PredictionWorker {
  worker: Worker;
  api: Remote<TrainerWorkerApi>;
  /** Rejects when the worker dies, so a pending request fails instead of waiting forever. */
  died: Promise<never>;
}

let current: PredictionWorker | null = null;

function startWorker(): PredictionWorker {
  const worker = new Worker(new URL('../worker/trainer.worker.ts', import.meta.url), { type: 'module', name: 'mad-lab-predictions' });
  const died = new Promise<never>((_, reject) => {
    const stop = (reason: string) => {
      if (current?.worker === worker) current = null;
      worker.terminate();
      reject(new Error(`The prediction worker stopped (${reason}): try again.`));
    };
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      stop(event.message || 'its script failed to load or threw');
    });
    worker.addEventListener('messageerror', () => stop('it sent a message the page could not read'));
  });
  died.catch(() => {});
  return { worker, api: wrap<TrainerWorkerApi>(worker), died };
}

/** The predictions of a finished run's model for one instance's inputs. */
export function predictWithRun(runId: string, inputs: Int32Array): Promise<RunPrediction> {
  const target = (current ??= startWorker());
  return Promise.race([target.api.predict(runId, inputs), target.died]);
}

/** Frees a run's compiled model in the prediction worker, if one was started. */
export function releaseRunModel(runId: string): void {
  void current?.api.releaseModel(runId);
}
