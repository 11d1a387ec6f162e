// The weights worker: exports finished runs' stored models as safetensors and loads users' weights
// files for the Task Explorer's predictions, off the page's thread (a file can be up to 1 GiB).
// WeightsService holds the logic; this file wires the real device, compiler and IndexedDB store.

import { expose, transfer } from 'comlink';
import { acquireEngineGpu } from '../engine/engineGpu.ts';
import { watchDevice } from '../gpu/deviceErrors.ts';
import { RunStore } from '../storage/runStore.ts';
import { RunPredictor } from './predictionModel.ts';
import type { WeightsWorkerApi } from './weightsApi.ts';
import { WeightsService } from './weightsService.ts';

let store: Promise<RunStore> | null = null;

const service = new WeightsService({
  getModel: async (runId) => (await (store ??= RunStore.open())).getModel(runId),
  acquireGpu: async () => {
    const gpu = await acquireEngineGpu({ label: 'MAD Lab weights' });
    return { gpu, watch: (onProblem) => watchDevice(gpu.device, onProblem) };
  },
  compilePredictor: (device, model, inputLength, parameters) => RunPredictor.compile(device, model, inputLength, parameters),
});

const api: WeightsWorkerApi = {
  // The file's bytes are moved to the page, not copied.
  exportRunWeights: async (runId) => {
    const bytes = await service.exportRunWeights(runId);
    return transfer(bytes, [bytes.buffer]);
  },
  loadWeightsFile: (file, fileName) => service.loadWeightsFile(file, fileName),
  predict: (key, inputs) => service.predict(key, inputs),
  release: (key) => service.release(key),
};

expose(api);
