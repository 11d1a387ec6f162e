// What the weights worker does, apart from comlink: exports a finished run's stored model, and
// reads a user's weights file the way `mad weights inspect` checks one: the size before any byte is
// read, then the format, then the model its metadata records (architecture validated, sizes within
// the size policy) and every tensor against that model (importWeights). A loaded model is compiled
// for predictions on first use, once per instance length, and again on a new device after a loss
// (workerDevice.ts). Dependencies are injected so this runs in Node tests without a GPU or IndexedDB.

import { sizeProblem, type SizeProblem } from '../config/sizePolicy.ts';
import type { EngineGpu } from '../engine/compile.ts';
import { resolveBackbone, validateArchitecture, type ArchitectureSpec } from '../model/architecture.ts';
import { usableModel, type StoredModel } from '../storage/modelRecord.ts';
import { runWeightsModel } from '../weights/runModel.ts';
import { MAX_WEIGHTS_FILE_BYTES, readSafetensors, WeightsFileError } from '../weights/safetensors.ts';
import type { WeightsContext } from '../weights/parameterLayout.ts';
import { exportWeights, importWeights } from '../weights/weightsFile.ts';
import { recordedArchitecture } from '../weights/weightsMetadata.ts';
import type { PredictionModelSource } from './predictionModel.ts';
import type { RunPrediction } from './predictions.ts';
import type { Predictor } from './trainerService.ts';
import type { LoadedWeights, WeightsWorkerApi } from './weightsApi.ts';
import { WorkerDevice, type WorkerGpu } from './workerDevice.ts';

export interface WeightsServiceDeps {
  getModel(runId: string): Promise<StoredModel | undefined>;
  acquireGpu(): Promise<WorkerGpu>;
  compilePredictor(gpu: EngineGpu, model: PredictionModelSource, inputLength: number, parameters: Float32Array): Promise<Predictor>;
}

interface KeptModel {
  source: PredictionModelSource;
  pool: Float32Array;
  /** Compiled per instance length (one or two per setting), freed together on release. */
  predictors: Map<number, Promise<Predictor>>;
}

const refuse = (fileName: string, what: string): never => {
  throw new WeightsFileError(`${fileName}: ${what}`);
};

/** The model a file's metadata records, checked before anything is traced from it. */
export function recordedModel(metadata: Readonly<Record<string, string>>, fileName: string): { architecture: ArchitectureSpec; context: WeightsContext } {
  const architecture = recordedArchitecture(metadata, fileName);
  if (architecture === null) {
    return refuse(fileName, 'it records no architecture (a state dict saved by mad-lab?); check it with npm run mad -- weights inspect FILE --layers …');
  }
  const invalid = validateArchitecture(architecture);
  if (invalid.length > 0) refuse(fileName, `its recorded architecture is not valid: ${invalid.join('; ')}`);
  const count = (key: 'vocab_size' | 'max_length'): number => {
    const text = metadata[key];
    if (text === undefined || !/^[1-9]\d*$/.test(text)) return refuse(fileName, `its metadata '${key}' must be a positive whole number, got ${text === undefined ? 'nothing' : JSON.stringify(text)}`);
    return Number(text);
  };
  const vocabSize = count('vocab_size');
  const maxLength = count('max_length');
  const oversize = [sizeProblem('vocabSize', vocabSize, 'vocab_size'), sizeProblem('seqLen', maxLength, 'max_length')].filter((p): p is SizeProblem => p !== null);
  if (oversize.length > 0) refuse(fileName, oversize.map((p) => p.message).join(' '));
  // An 'auto' backbone is the AutoEncoder only for compression: the recorded backbone says which it was.
  const task = metadata.backbone === 'autoencoder' && resolveBackbone(architecture) !== 'autoencoder' ? 'compression' : undefined;
  return { architecture, context: { vocabSize, maxLength, task } };
}

export class WeightsService implements WeightsWorkerApi {
  private readonly kept = new Map<string, KeptModel>();
  private readonly device: WorkerDevice;
  private loads = 0;

  constructor(private readonly deps: WeightsServiceDeps) {
    this.device = new WorkerDevice(() => deps.acquireGpu());
    // A loaded model's values stay in this worker's memory; only what was compiled for the lost
    // device goes, and the next prediction compiles it again on a new one.
    this.device.onLoss(() => {
      for (const kept of this.kept.values()) destroyAll(kept);
    });
  }

  async exportRunWeights(runId: string): Promise<Uint8Array> {
    const model = usableModel(await this.deps.getModel(runId), runId);
    return exportWeights(runWeightsModel(model.plan), model.parameters, model.plan.training.seed);
  }

  async loadWeightsFile(file: Blob, fileName: string): Promise<LoadedWeights> {
    if (file.size > MAX_WEIGHTS_FILE_BYTES) {
      refuse(fileName, `it is ${file.size.toLocaleString('en-US')} bytes, more than the ${MAX_WEIGHTS_FILE_BYTES.toLocaleString('en-US')} MAD Lab reads`);
    }
    const bytes = new Uint8Array(await file.arrayBuffer());
    const model = recordedModel(readSafetensors(bytes, fileName).metadata, fileName);
    const imported = importWeights(model, bytes, fileName);
    const key = `weights-${++this.loads}`;
    const { vocabSize, maxLength, task } = model.context;
    this.kept.set(key, { source: { architecture: model.architecture, setting: { vocabSize, seqLen: maxLength, task } }, pool: imported.pool, predictors: new Map() });
    return {
      key,
      fileName,
      architecture: model.architecture,
      backbone: resolveBackbone(model.architecture, task),
      vocabSize,
      maxLength,
      seed: imported.seed,
      conversions: imported.conversions,
    };
  }

  async predict(key: string, inputs: Int32Array): Promise<RunPrediction> {
    const kept = this.kept.get(key);
    if (kept === undefined) throw new Error('That weights file is no longer loaded: load it again.');
    let compiled = kept.predictors.get(inputs.length);
    if (compiled === undefined) {
      compiled = this.device.acquire().then((worker) => this.deps.compilePredictor(worker.gpu, kept.source, inputs.length, kept.pool));
      kept.predictors.set(inputs.length, compiled);
      // A failed compile is tried again by the next request rather than remembered.
      const pending = compiled;
      pending.catch(() => {
        if (kept.predictors.get(inputs.length) === pending) kept.predictors.delete(inputs.length);
      });
    }
    return (await compiled).predict(inputs);
  }

  release(key: string): void {
    const kept = this.kept.get(key);
    this.kept.delete(key);
    if (kept) destroyAll(kept);
  }
}

/** Forgets a kept model's compiled programs and destroys each once it has compiled. */
function destroyAll(kept: KeptModel): void {
  for (const compiled of kept.predictors.values()) void compiled.then((p) => p.destroy(), () => {});
  kept.predictors.clear();
}
