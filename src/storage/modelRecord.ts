// A finished run's model as stored in IndexedDB: the parameters its results row was measured on
// (the best-perplexity epoch's), with the plan that builds the model they fit. Kept after the
// run's checkpoint is deleted, so predictions work after a reload.

import type { RunPlan } from '../train/types.ts';
import { compactTypedArrays } from './checkpointRecord.ts';

/** Bump when the stored model's shape changes; older ones are then ignored. */
export const MODEL_FORMAT = 1;

export interface StoredModel {
  runId: string;
  format: number;
  plan: RunPlan;
  /** The whole param pool of the run's training program. */
  parameters: Float32Array;
  savedAt: number;
}

export function modelRecord(runId: string, plan: RunPlan, parameters: Float32Array, savedAt: number): StoredModel {
  return { runId, format: MODEL_FORMAT, plan, parameters: compactTypedArrays(parameters), savedAt };
}

/** The stored model, or a one-sentence reason why predictions cannot use it. */
export function usableModel(stored: StoredModel | undefined, runId: string): StoredModel {
  if (stored === undefined) {
    throw new Error(`Run ${runId} has no saved model (only runs that finished training keep their weights): train it again to see its predictions.`);
  }
  if (stored.format !== MODEL_FORMAT) {
    throw new Error(`Run ${runId} was saved by another version of the lab (model format ${stored.format}): train it again to see its predictions.`);
  }
  return stored;
}
