// The weights worker's API (weights.worker.ts): a finished run's stored model as a safetensors
// file, and a user's weights file read, checked and kept for predictions, all off the page's
// thread. Plain, structured-cloneable data only.

import type { ArchitectureSpec, Backbone } from '../model/architecture.ts';
import type { RunPrediction } from './predictions.ts';

/** A weights file the worker read, checked and keeps: what the page needs to say what it is and where it fits. */
export interface LoadedWeights {
  /** Names the model kept in the worker (for predict and release). */
  key: string;
  fileName: string;
  architecture: ArchitectureSpec;
  backbone: Backbone;
  vocabSize: number;
  /** mad-lab's max_length: the seq_len of the setting the model was built for. */
  maxLength: number;
  seed: number | null;
  /** Dtypes other than F32 that were converted, e.g. 'BF16 → F32 (exact): 2 tensor(s)'. */
  conversions: string[];
}

export interface WeightsWorkerApi {
  /** The safetensors file of a finished run's stored model (mad-lab's names, the run's seed in the metadata). */
  exportRunWeights(runId: string): Promise<Uint8Array>;
  /** Reads a .safetensors file (its size checked before it is read) and checks it; throws a sentence saying what is wrong. */
  loadWeightsFile(file: Blob, fileName: string): Promise<LoadedWeights>;
  /** The loaded model's predictions for one instance's inputs ([T] token ids). */
  predict(key: string, inputs: Int32Array): Promise<RunPrediction>;
  /** Frees a loaded model and its compiled program. */
  release(key: string): void;
}
