// The weights worker's logic without a GPU or IndexedDB: a run's stored model exported and read
// back bit for bit, a user's file checked (size before reading, format, recorded model, tensors)
// with a sentence on refusal, and a loaded model compiled with the file's model and values (again
// on a new device after a loss).
import { describe, expect, it, vi } from 'vitest';
import type { EngineGpu } from '../engine/compile.ts';
import type { DeviceProblem } from '../gpu/deviceErrors.ts';
import { GpuUnavailableError } from '../gpu/errors.ts';
import { architectureFromLayers } from '../model/architecture.ts';
import { modelRecord } from '../storage/modelRecord.ts';
import { makeSetting } from '../tasks/settings.ts';
import { DEFAULT_TRAINING, type RunPlan } from '../train/types.ts';
import { initialParameterPool } from '../weights/parameterLayout.ts';
import { runWeightsModel } from '../weights/runModel.ts';
import { MAX_WEIGHTS_FILE_BYTES, writeSafetensors } from '../weights/safetensors.ts';
import { exportWeights, importWeights } from '../weights/weightsFile.ts';
import type { PredictionModelSource } from './predictionModel.ts';
import { WeightsService } from './weightsService.ts';

const setting = makeSetting('memorization', { vocabSize: 16, seqLen: 8, numTrainExamples: 16, numTestExamples: 8, seed: 4 });
const plan: RunPlan = { architecture: architectureFromLayers(['mlp'], { dim: 8 }), setting, training: { ...DEFAULT_TRAINING, seed: 4 } };
const model = runWeightsModel(plan);
const pool = initialParameterPool(plan.architecture, model.context, 4);

interface Compiled {
  source?: PredictionModelSource;
  parameters?: Float32Array;
  inputLength?: number;
  /** Compiles so far, and the devices' loss watchers. */
  compiles?: number;
  destroyed?: number;
  watchers?: ((problem: DeviceProblem) => void)[];
}

function service(compiled: Compiled = {}) {
  compiled.watchers = [];
  return new WeightsService({
    getModel: async (runId) => (runId === 'run-1' ? modelRecord('run-1', plan, pool, 0) : undefined),
    acquireGpu: async () => ({ gpu: {} as EngineGpu, watch: (onProblem) => (compiled.watchers!.push(onProblem), () => {}) }),
    compilePredictor: async (_gpu, source, inputLength, parameters) => {
      Object.assign(compiled, { source, parameters, inputLength, compiles: (compiled.compiles ?? 0) + 1 });
      const destroy = () => void (compiled.destroyed = (compiled.destroyed ?? 0) + 1);
      return { inputLength, predict: async () => ({ predictions: new Int32Array(inputLength), probabilities: new Float32Array(inputLength) }), destroy };
    },
  });
}

const bits = (a: Float32Array): Uint32Array => new Uint32Array(a.buffer, a.byteOffset, a.length);

describe('WeightsService', () => {
  it("exports a run's stored model, which reads back bit for bit with the run's seed", async () => {
    const bytes = await service().exportRunWeights('run-1');
    const imported = importWeights(model, bytes);
    expect(bits(imported.pool)).toEqual(bits(pool));
    expect(imported.seed).toBe(4);
    await expect(service().exportRunWeights('run-2')).rejects.toThrow('Run run-2 has no saved model');
  });

  it("loads a file's model from its metadata and predicts with exactly its values", async () => {
    const compiled: Compiled = {};
    const weights = service(compiled);
    const loaded = await weights.loadWeightsFile(new Blob([exportWeights(model, pool, 4) as Uint8Array<ArrayBuffer>]), 'w.safetensors');
    expect(loaded).toMatchObject({ fileName: 'w.safetensors', backbone: 'language-model', vocabSize: 16, maxLength: 8, seed: 4, conversions: [] });
    await weights.predict(loaded.key, new Int32Array(8));
    expect(compiled.inputLength).toBe(8);
    expect(compiled.source!.setting).toEqual({ vocabSize: 16, seqLen: 8, task: undefined });
    expect(bits(compiled.parameters!)).toEqual(bits(pool));
    weights.release(loaded.key);
    await expect(weights.predict(loaded.key, new Int32Array(8))).rejects.toThrow('That weights file is no longer loaded: load it again.');
  });

  it('compiles a loaded model again on a new device after a loss, with the same values', async () => {
    const compiled: Compiled = {};
    const weights = service(compiled);
    const loaded = await weights.loadWeightsFile(new Blob([exportWeights(model, pool, 4) as Uint8Array<ArrayBuffer>]), 'w.safetensors');
    await weights.predict(loaded.key, new Int32Array(8));
    await weights.predict(loaded.key, new Int32Array(8));
    expect(compiled.compiles).toBe(1);
    compiled.watchers![0]!(new GpuUnavailableError('device-lost', 'The GPU device "w" was lost (unknown: reset): reload the page.'));
    await vi.waitFor(() => expect(compiled.destroyed).toBe(1));
    await weights.predict(loaded.key, new Int32Array(8));
    expect(compiled.compiles).toBe(2);
    expect(compiled.watchers).toHaveLength(2);
    expect(bits(compiled.parameters!)).toEqual(bits(pool));
  });

  it('refuses, saying what is wrong: over the size cap (unread), not safetensors, no recorded model, a tensor missing', async () => {
    const weights = service();
    const unread = { size: MAX_WEIGHTS_FILE_BYTES + 1, arrayBuffer: () => Promise.reject(new Error('read')) } as unknown as Blob;
    await expect(weights.loadWeightsFile(unread, 'big.safetensors')).rejects.toThrow('big.safetensors: it is 1,073,741,825 bytes, more than the 1,073,741,824 MAD Lab reads');
    await expect(weights.loadWeightsFile(new Blob([new Uint8Array([1, 2, 3])]), 'junk.safetensors')).rejects.toThrow(
      "junk.safetensors: it is 3 bytes, too short for safetensors' 8-byte header length",
    );
    const bare = writeSafetensors([{ name: 'token_embeds.weight', shape: [16, 8], data: new Float32Array(128) }], {});
    await expect(weights.loadWeightsFile(new Blob([bare as Uint8Array<ArrayBuffer>]), 'sd.safetensors')).rejects.toThrow('sd.safetensors: it records no architecture');
    const full = exportWeights(model, pool, 4);
    const metadata = { ...(importWeights(model, full).metadata) };
    const partial = writeSafetensors([{ name: 'token_embeds.weight', shape: [16, 8], data: pool.slice(0, 128) }], metadata);
    await expect(weights.loadWeightsFile(new Blob([partial as Uint8Array<ArrayBuffer>]), 'part.safetensors')).rejects.toThrow(/^part\.safetensors: tensor '.+' is missing/);
    const oversize = writeSafetensors([], { ...metadata, vocab_size: '9999999' });
    await expect(weights.loadWeightsFile(new Blob([oversize as Uint8Array<ArrayBuffer>]), 'v.safetensors')).rejects.toThrow(/^v\.safetensors: Vocabulary size 9,999,999 is over the limit/);
  });
});
