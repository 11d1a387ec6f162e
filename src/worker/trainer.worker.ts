// The training worker: one GPU device (navigator.gpu in a dedicated worker), the engine and the
// trainer, behind the comlink API of api.ts. TrainerService holds the logic; this file wires the
// real device, trainer, data generator and IndexedDB store into it.

import { expose } from 'comlink';
import { acquireEngineGpu } from '../engine/engineGpu.ts';
import { watchDevice } from '../gpu/deviceErrors.ts';
import { buildDataset } from '../tasks/dataset.ts';
import { planRunMemory } from '../train/runMemoryPlan.ts';
import { trainRun } from '../train/trainer.ts';
import type { TrainerWorkerApi } from './api.ts';
import { RunPredictor } from './predictionModel.ts';
import { RunStore } from '../storage/runStore.ts';
import { TrainerService } from './trainerService.ts';
import type { WorkerGpu } from './workerDevice.ts';

async function acquireWorkerGpu(): Promise<WorkerGpu> {
  const gpu = await acquireEngineGpu({ label: 'MAD Lab trainer' });
  return { gpu, watch: (onProblem) => watchDevice(gpu.device, onProblem) };
}

let store: Promise<RunStore> | null = null;

const service: TrainerWorkerApi = new TrainerService({
  acquireGpu: acquireWorkerGpu,
  trainRun,
  buildData: (setting) => buildDataset(setting),
  planMemory: (plan, gpu) => planRunMemory(plan, gpu.device.limits, { target: gpu.target }),
  storage: () => (store ??= RunStore.open()),
  compilePredictor: (gpu, plan, inputLength, parameters) => RunPredictor.compile(gpu, plan, inputLength, parameters),
});

expose(service);
