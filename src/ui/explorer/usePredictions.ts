// Asks the prediction worker for a run's predictions (or the weights worker for a loaded file's) on
// the instance on screen and turns them into marks; a newer instance or model supersedes a request
// still in flight.
import { useEffect, useState } from 'react';
import type { PredictionSource } from '../../state/explorerStore.ts';
import type { TaskInstance } from '../../tasks/types.ts';
import { predictWithRun } from '../../runs/predictorClient.ts';
import { predictWithWeights } from '../../runs/weightsClient.ts';
import type { RunPrediction } from '../../worker/predictions.ts';
import { predictionMarks, type PredictionMark } from './predictionMarks.ts';

export type PredictionState =
  | { status: 'off' }
  | { status: 'loading' }
  | { status: 'ready'; marks: PredictionMark[] }
  | { status: 'failed'; reason: string };

export function usePredictions(source: PredictionSource | null, instance: TaskInstance): PredictionState {
  return usePredictionsOf(source?.runId ?? null, predictWithRun, instance);
}

/** The same for a weights file loaded in the weights worker (`key`), or null while none is shown. */
export function useWeightsPredictions(key: string | null, instance: TaskInstance): PredictionState {
  return usePredictionsOf(key, predictWithWeights, instance);
}

function usePredictionsOf(runId: string | null, predict: (id: string, inputs: Int32Array) => Promise<RunPrediction>, instance: TaskInstance): PredictionState {
  // The answer remembers which run and instance it is for, so a stale one is never shown.
  const [answer, setAnswer] = useState<{ runId: string; instance: TaskInstance; value: PredictionState } | null>(null);
  useEffect(() => {
    if (runId === null) return;
    let current = true;
    predict(runId, instance.inputs)
      .then((prediction) => predictionMarks(instance, prediction))
      .then(
        (marks) => current && setAnswer({ runId, instance, value: { status: 'ready', marks } }),
        (error: unknown) => current && setAnswer({ runId, instance, value: { status: 'failed', reason: error instanceof Error ? error.message : String(error) } }),
      );
    return () => {
      current = false;
    };
  }, [runId, predict, instance]);
  if (runId === null) return { status: 'off' };
  return answer?.runId === runId && answer.instance === instance ? answer.value : { status: 'loading' };
}
