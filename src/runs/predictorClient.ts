// The page's prediction worker: one trainer.worker.ts kept apart from the run pool, so showing a
// finished run's predictions neither waits for a training slot nor needs a run to be training.
// Started on the first request; a worker that dies is replaced by the next request.

import type { TrainerWorkerApi } from '../worker/api.ts';
import type { RunPrediction } from '../worker/predictions.ts';
import { onDemandWorker } from './onDemandWorker.ts';

const predictions = onDemandWorker<TrainerWorkerApi>(
  () => new Worker(new URL('../worker/trainer.worker.ts', import.meta.url), { type: 'module', name: 'mad-lab-predictions' }),
  'prediction worker',
  'try again.',
);

/** The predictions of a finished run's model for one instance's inputs. */
export function predictWithRun(runId: string, inputs: Int32Array): Promise<RunPrediction> {
  return predictions.call((api) => api.predict(runId, inputs));
}

/** Frees a run's compiled model in the prediction worker, if one was started. */
export function releaseRunModel(runId: string): void {
  predictions.ifStarted((api) => void api.releaseModel(runId));
}
