// The page's weights worker (worker/weights.worker.ts): builds a finished run's weights file and
// reads a user's weights file off the page's thread. Started on the first request; a worker that
// dies fails the pending request and is replaced by the next one.

import type { RunPrediction } from '../worker/predictions.ts';
import type { LoadedWeights, WeightsWorkerApi } from '../worker/weightsApi.ts';
import { onDemandWorker } from './onDemandWorker.ts';

const weights = onDemandWorker<WeightsWorkerApi>(
  () => new Worker(new URL('../worker/weights.worker.ts', import.meta.url), { type: 'module', name: 'mad-lab-weights' }),
  'weights worker',
  'try again.',
);

/** A finished run's stored model as a .safetensors file. */
export function runWeightsFile(runId: string): Promise<Uint8Array> {
  return weights.call((api) => api.exportRunWeights(runId));
}

/** Reads and checks a weights file the user picked; rejects with a sentence saying what is wrong. */
export function loadWeightsFile(file: File): Promise<LoadedWeights> {
  return weights.call((api) => api.loadWeightsFile(file, file.name));
}

export function predictWithWeights(key: string, inputs: Int32Array): Promise<RunPrediction> {
  return weights.call((api) => api.predict(key, inputs));
}

export function releaseWeights(key: string): void {
  weights.ifStarted((api) => void api.release(key));
}
