// TrainerService with a fake trainer (epochs of one step each, no GPU) and an in-memory checkpoint
// store: batching, the checkpoint schedule, resuming from a stored checkpoint (or saying why not),
// training on through full storage, pause, cancel, failures from a lost device, and predictions
// from a finished run's stored model, also under concurrent calls.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EngineGpu } from '../engine/compile.ts';
import type { DeviceProblem } from '../gpu/deviceErrors.ts';
import { GpuUnavailableError } from '../gpu/errors.ts';
import { architectureFromLayers } from '../model/architecture.ts';
import { makeSetting } from '../tasks/settings.ts';
import { CHECKPOINT_VERSION, type Checkpoint } from '../train/checkpoint.ts';
import { planRunMemory, WEBGPU_DEFAULT_LIMITS, type RunMemoryOutcome } from '../train/runMemoryPlan.ts';
import type { TrainingData, TrainRunOptions } from '../train/trainer.ts';
import { DEFAULT_TRAINING, type EpochRecord, type RunPlan, type RunResult } from '../train/types.ts';
import type { WorkerEvent } from './api.ts';
import type { StoredCheckpoint } from '../storage/checkpointRecord.ts';
import { checkpointRecord } from '../storage/checkpointRecord.ts';
import { storageError } from '../storage/indexedDb.ts';
import type { StoredModel } from '../storage/modelRecord.ts';
import { TrainerService, type CheckpointStorage, type Predictor } from './trainerService.ts';
import type { WorkerGpu } from './workerDevice.ts';

const EPOCHS = 6;
const FINAL_PARAMETERS = new Float32Array([2, -0.5, 3]);
const plan: RunPlan = {
  architecture: architectureFromLayers(['mh-attention', 'swiglu'], { dim: 16 }),
  setting: makeSetting('memorization', { vocabSize: 8, seqLen: 8, numTrainExamples: 64, numTestExamples: 16 }),
  training: { ...DEFAULT_TRAINING, epochs: EPOCHS },
};

const metrics = (loss: number) => ({ loss, accuracy: 0.5, microAccuracy: 0.5, perplexity: Math.exp(loss) });
const record = (epoch: number): EpochRecord => ({ epoch, lr: 1e-3, train: metrics(2 - epoch / 10), test: metrics(2 - epoch / 10), seconds: 1 });

function checkpointAfter(epoch: number): Checkpoint {
  const epochs = Array.from({ length: epoch + 1 }, (_, e) => record(e));
  return {
    version: CHECKPOINT_VERSION,
    plan,
    nextEpoch: epoch + 1,
    microBatches: 1,
    parameters: new Float32Array([epoch]),
    optimizerState: new Float32Array(2),
    optimizerSteps: epoch + 1,
    schedule: { kind: 'cosine' },
    earlyStop: { bestAccuracy: null, wait: 0 },
    best: null,
    epochs,
    seconds: epoch + 1,
  };
}

/** Trains epochs of one step each (`epochMs` apiece), honouring control, checkpoints and resumeFrom, like trainRun. */
const fakeTrainer = (epochMs: number) => async (_gpu: EngineGpu, runPlan: RunPlan, _data: TrainingData, options: TrainRunOptions): Promise<RunResult> => {
  const runId = options.runId!;
  const emit = options.onEvent!;
  const first = options.resumeFrom?.nextEpoch ?? 0;
  const epochs = options.resumeFrom ? [...options.resumeFrom.epochs] : [];
  emit({ kind: 'started', runId, totalEpochs: runPlan.training.epochs, stepsPerEpoch: 1, microBatches: 1 });
  try {
    for (let epoch = first; epoch < runPlan.training.epochs; epoch++) {
      await new Promise((resolve) => setTimeout(resolve, epochMs));
      if (options.control?.mustWait) await options.control.wait();
      emit({ kind: 'step', runId, epoch, step: epoch + 1, loss: 1, accuracy: 0.5, gradNorm: 1 });
      epochs.push(record(epoch));
      emit({ kind: 'epoch', runId, record: record(epoch) });
      if (options.checkpointEvery && (epoch + 1) % options.checkpointEvery === 0 && epoch + 1 < runPlan.training.epochs) {
        await options.onCheckpoint?.(checkpointAfter(epoch));
        emit({ kind: 'checkpointed', runId, epoch });
      }
    }
  } catch (error) {
    emit({ kind: 'failed', runId, reason: String(error) });
    throw error;
  }
  await options.onFinalParameters?.(FINAL_PARAMETERS);
  const result: RunResult = { status: 'completed', bestEpoch: 0, row: { train_acc: 1, train_ppl: 1, train_loss: 0, test_acc: 0.75, test_ppl: 1, test_loss: 0 }, epochs, microBatches: 1, seconds: 1 };
  emit({ kind: 'finished', runId, result });
  return result;
};

/** The error RunStore's writes reject with when IndexedDB is over its quota. */
const quotaExceeded = () => storageError('save to or read from IndexedDB', new DOMException('', 'QuotaExceededError'));

class MemoryCheckpoints implements CheckpointStorage {
  readonly stored = new Map<string, StoredCheckpoint<Checkpoint>>();
  readonly models = new Map<string, StoredModel>();
  /** Epochs whose checkpoint write fails as on a full disk. */
  readonly fullAtEpochs = new Set<number>();
  modelWriteFails = false;
  async getModel(runId: string) {
    return this.models.get(runId);
  }
  async putModel(record: StoredModel) {
    if (this.modelWriteFails) throw quotaExceeded();
    this.models.set(record.runId, record);
  }
  async getCheckpoint(runId: string) {
    return this.stored.get(runId);
  }
  async putCheckpoint(record: StoredCheckpoint<Checkpoint>) {
    if (this.fullAtEpochs.has(record.epoch)) throw quotaExceeded();
    this.stored.set(record.runId, record);
  }
}

/** A promise with its resolve, to hold a fake's work until the test lets it go. */
function gate() {
  let open = (): void => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** Predicts parameters[0] + input at every position (probability 1), and records what it was built from. */
class FakePredictor implements Predictor {
  destroyCount = 0;
  /** While set, predict() waits for it (a forward pass in flight). */
  hold: Promise<void> | null = null;
  constructor(
    readonly inputLength: number,
    readonly parameters: Float32Array,
  ) {}
  get destroyed() {
    return this.destroyCount > 0;
  }
  async predict(inputs: Int32Array) {
    await this.hold;
    if (this.destroyed) throw new Error('predict() on a destroyed predictor');
    return { predictions: inputs.map((id) => id + this.parameters[0]!), probabilities: new Float32Array(inputs.length).fill(1) };
  }
  destroy() {
    this.destroyCount++;
  }
}

/** `compileHold`: each compile waits for it (compiling takes a while). */
/** What the fake trainer's runs plan to: they fit, in one micro-batch. */
const FITS: RunMemoryOutcome = {
  ok: true,
  memory: { dataBytes: 0, parameterBytes: 0, optimizerBytes: 0, activationBytes: 0, totalBytes: 0, budgetBytes: 2 ** 30, microBatches: 1 },
};

function setup(
  trainRun = fakeTrainer(1),
  { compileHold, buildData = () => ({}) as TrainingData, planMemory = () => FITS }: { compileHold?: Promise<void>; buildData?: () => TrainingData; planMemory?: (plan: RunPlan) => RunMemoryOutcome } = {},
) {
  const predictors: FakePredictor[] = [];
  const events: WorkerEvent[] = [];
  const batches: WorkerEvent[][] = [];
  const checkpoints = new MemoryCheckpoints();
  const problemHandlers: ((problem: DeviceProblem) => void)[] = [];
  let acquired = 0;
  const service = new TrainerService({
    acquireGpu: async (): Promise<WorkerGpu> => {
      acquired++;
      return {
        gpu: {} as EngineGpu,
        watch: (onProblem) => {
          problemHandlers.push(onProblem);
          return () => problemHandlers.splice(problemHandlers.indexOf(onProblem), 1);
        },
      };
    },
    trainRun,
    buildData,
    planMemory,
    storage: async () => checkpoints,
    compilePredictor: async (_gpu, _plan, inputLength, parameters) => {
      await compileHold;
      const predictor = new FakePredictor(inputLength, parameters);
      predictors.push(predictor);
      return predictor;
    },
    now: () => 42,
  });
  service.connect((batch) => {
    batches.push(batch);
    events.push(...batch);
  });
  const ended = (runId: string) =>
    vi.waitFor(() => {
      if (!events.some((e) => e.runId === runId && ['finished', 'failed', 'cancelled'].includes(e.kind))) throw new Error('not yet');
    });
  // A real device tells every watcher of its loss.
  const loseDevice = () => [...problemHandlers].forEach((onProblem) => onProblem(new GpuUnavailableError('device-lost', 'The GPU device "t" was lost (unknown: reset): reload the page.')));
  return { service, events, batches, checkpoints, predictors, problemHandlers, loseDevice, ended, acquisitions: () => acquired };
}

describe('TrainerService', () => {
  beforeEach(() => vi.useRealTimers());
  afterEach(() => vi.useRealTimers());

  it('trains a run, persists checkpoints every `checkpointEvery` epochs and reports only those', async () => {
    const { service, events, checkpoints, ended } = setup();
    expect(await service.startRun(plan, 'r1', { checkpointEvery: 2 })).toBe('r1');
    expect(service.listRuns()).toEqual([{ runId: 'r1', state: expect.stringMatching(/preparing|running/) }]);
    await ended('r1');
    const kinds = events.map((e) => e.kind);
    expect(kinds[0]).toBe('started');
    expect(kinds.at(-1)).toBe('finished');
    expect(kinds.filter((k) => k === 'finished')).toHaveLength(1);
    expect(events.filter((e) => e.kind === 'epoch')).toHaveLength(EPOCHS);
    expect(events.filter((e) => e.kind === 'checkpointed').map((e) => e.kind === 'checkpointed' && e.epoch)).toEqual([1, 3]);
    expect(checkpoints.stored.get('r1')).toMatchObject({ epoch: 3, savedAt: 42 });
    expect(service.listRuns()).toEqual([]);
  });

  it('fails a run that cannot fit before building any data, naming the limit', async () => {
    let built = 0;
    const { service, events, ended } = setup(fakeTrainer(1), {
      buildData: () => (built++, {}) as TrainingData,
      planMemory: (plan) => planRunMemory(plan, WEBGPU_DEFAULT_LIMITS, { target: 'cpu' }),
    });
    // A vocabulary past the size policy's cap, as a pasted plan could carry (makeSetting would refuse it).
    const huge: RunPlan = { ...plan, setting: { ...plan.setting, vocabSize: 100_000_000 } };
    await service.startRun(huge, 'r1', { checkpointEvery: 1 });
    await ended('r1');
    expect(events.at(-1)).toEqual({ kind: 'failed', runId: 'r1', reason: expect.stringMatching(/^Vocabulary size 100,000,000 is over the limit of 131,072/) });
    expect(built).toBe(0);
  });

  it('continues an interrupted run from its stored checkpoint, announcing it first', async () => {
    const { service, events, checkpoints, ended } = setup();
    await checkpoints.putCheckpoint(checkpointRecord('r1', plan, 2, checkpointAfter(2), 1));
    await service.startRun(plan, 'r1', { checkpointEvery: 1 });
    await ended('r1');
    expect(events[0]).toMatchObject({ kind: 'restored', runId: 'r1', fromEpoch: 2 });
    expect(events[0].kind === 'restored' && events[0].epochs.map((e) => e.epoch)).toEqual([0, 1, 2]);
    const trained = events.filter((e) => e.kind === 'epoch').map((e) => e.kind === 'epoch' && e.record.epoch);
    expect(trained).toEqual([3, 4, 5]);
    const finished = events.at(-1);
    expect(finished?.kind === 'finished' && finished.result.epochs).toHaveLength(EPOCHS);
  });

  it('starts afresh when the stored checkpoint belongs to another plan, saying so first', async () => {
    const { service, events, checkpoints, ended } = setup();
    const other: RunPlan = { ...plan, training: { ...plan.training, lr: 0.01 } };
    await checkpoints.putCheckpoint(checkpointRecord('r1', other, 2, { ...checkpointAfter(2), plan: other }, 1));
    await service.startRun(plan, 'r1', { checkpointEvery: 10 });
    await ended('r1');
    expect(events[0]).toEqual({ kind: 'checkpoint-unused', runId: 'r1', epoch: 2, reason: expect.stringMatching(/different plan/) });
    expect(events.some((e) => e.kind === 'restored')).toBe(false);
    expect(events.filter((e) => e.kind === 'epoch')).toHaveLength(EPOCHS);
  });

  it('says why a checkpoint of this format that the trainer cannot resume was not used', async () => {
    const { service, events, checkpoints, ended } = setup();
    const inconsistent = { ...checkpointAfter(2), nextEpoch: 1 };
    await checkpoints.putCheckpoint(checkpointRecord('r1', plan, 2, inconsistent, 1));
    await service.startRun(plan, 'r1', { checkpointEvery: 10 });
    await ended('r1');
    expect(events[0]).toEqual({ kind: 'checkpoint-unused', runId: 'r1', epoch: 2, reason: expect.stringMatching(/inconsistent/) });
    expect(events.filter((e) => e.kind === 'epoch')).toHaveLength(EPOCHS);
  });

  it('trains on when checkpoints cannot be stored, tries again at the next one, and finishes with the same result', async () => {
    const unlimited = setup();
    await unlimited.service.startRun(plan, 'r1', { checkpointEvery: 1 });
    await unlimited.ended('r1');

    const { service, events, checkpoints, ended } = setup();
    checkpoints.fullAtEpochs.add(1).add(2);
    checkpoints.modelWriteFails = true;
    await service.startRun(plan, 'r1', { checkpointEvery: 1 });
    await ended('r1');
    const saves = events.filter((e) => e.kind === 'checkpointed' || e.kind === 'save-failed').map((e) => (e.kind === 'save-failed' ? `${e.what} failed ${e.epoch}` : `saved ${e.kind === 'checkpointed' && e.epoch}`));
    expect(saves).toEqual(['saved 0', 'checkpoint failed 1', 'checkpoint failed 2', 'saved 3', 'saved 4', 'model failed null']);
    expect(events.find((e) => e.kind === 'save-failed')).toEqual({ kind: 'save-failed', runId: 'r1', what: 'checkpoint', epoch: 1, storageFull: true, reason: 'QuotaExceededError' });
    expect(checkpoints.stored.get('r1')?.epoch).toBe(4);
    expect(checkpoints.models.has('r1')).toBe(false);
    const outcome = (list: WorkerEvent[]) => list.find((e) => e.kind === 'finished');
    expect(outcome(events)).toEqual(outcome(unlimited.events));
    expect(events.some((e) => e.kind === 'failed')).toBe(false);
  });

  it('pauses and continues, and a cancelled run ends as cancelled, not failed', async () => {
    const { service, events, ended } = setup(fakeTrainer(50));
    await service.startRun(plan, 'r1', { checkpointEvery: 10 });
    service.pause('r1');
    expect(service.listRuns()[0]?.state).toBe('paused');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(events.filter((e) => e.kind === 'epoch')).toHaveLength(0);
    service.resume('r1');
    await vi.waitFor(() => expect(events.some((e) => e.kind === 'epoch')).toBe(true));
    service.cancel('r1');
    await ended('r1');
    const kinds = events.map((e) => e.kind);
    expect(kinds).toContain('paused');
    expect(kinds).toContain('continued');
    expect(kinds.at(-1)).toBe('cancelled');
    expect(kinds).not.toContain('failed');
    expect(events.filter((e) => e.kind === 'epoch').length).toBeLessThan(EPOCHS);
  });

  it('fails a run whose device is lost with the loss as the reason, then acquires a new device for the next run', async () => {
    const { service, events, problemHandlers, loseDevice, ended, acquisitions } = setup();
    await service.startRun(plan, 'r1', { checkpointEvery: 10 });
    service.pause('r1'); // hold the run so the device is lost while it trains
    // The worker's own watch and the run's.
    await vi.waitFor(() => expect(problemHandlers).toHaveLength(2));
    loseDevice();
    await ended('r1');
    expect(events.at(-1)).toEqual({ kind: 'failed', runId: 'r1', reason: expect.stringMatching(/was lost/) });

    await service.startRun(plan, 'r2', { checkpointEvery: 10 });
    await ended('r2');
    expect(events.at(-1)?.kind).toBe('finished');
    expect(acquisitions()).toBe(2);
  });

  it('fails a run whose trainer throws, with its message, and refuses a second run while one trains', async () => {
    const { service, events, ended } = setup(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      throw new Error('the model does not fit this device');
    });
    await service.startRun(plan, 'r1');
    await expect(service.startRun(plan, 'r2')).rejects.toThrow(/already training run r1/);
    await ended('r1');
    expect(events.at(-1)).toEqual({ kind: 'failed', runId: 'r1', reason: 'the model does not fit this device' });
  });

  it('stores a finished run’s final parameters and predicts with them, compiling once per instance length until released', async () => {
    const { service, checkpoints, predictors, ended } = setup();
    await service.startRun(plan, 'r1');
    await ended('r1');
    expect(checkpoints.models.get('r1')).toMatchObject({ runId: 'r1', plan, savedAt: 42, parameters: FINAL_PARAMETERS });

    const first = await service.predict('r1', new Int32Array([1, 2, 3]));
    expect(Array.from(first.predictions)).toEqual([3, 4, 5]);
    await service.predict('r1', new Int32Array([4, 5, 6]));
    expect(predictors).toHaveLength(1);
    expect(Array.from(predictors[0]!.parameters)).toEqual(Array.from(FINAL_PARAMETERS));

    await service.predict('r1', new Int32Array([1, 2]));
    expect(predictors).toHaveLength(2);
    expect(predictors[0]!.destroyed).toBe(true);

    service.releaseModel('r1');
    await vi.waitFor(() => expect(predictors[1]!.destroyed).toBe(true));
  });

  it('shares one compile among concurrent first calls and destroys it once, when released', async () => {
    const compiling = gate();
    const { service, predictors, ended } = setup(fakeTrainer(1), { compileHold: compiling.opened });
    await service.startRun(plan, 'r1');
    await ended('r1');
    const calls = [1, 2, 3].map((first) => service.predict('r1', new Int32Array([first, 0, 0])));
    compiling.open();
    const answers = await Promise.all(calls);
    expect(answers.map((a) => a.predictions[0])).toEqual([3, 4, 5]);
    expect(predictors).toHaveLength(1);
    service.releaseModel('r1');
    await vi.waitFor(() => expect(predictors[0]!.destroyCount).toBe(1));
  });

  it('never destroys a predictor another call is using: a new length or a release waits for that call to end', async () => {
    const { service, predictors, ended } = setup();
    await service.startRun(plan, 'r1');
    await ended('r1');
    await service.predict('r1', new Int32Array([1, 2, 3]));
    const forward = gate();
    predictors[0]!.hold = forward.opened;
    const inUse = service.predict('r1', new Int32Array([4, 5, 6]));

    // Another length replaces the model for later calls, but the one in use lives until its call ends.
    const other = await service.predict('r1', new Int32Array([1, 2]));
    expect(Array.from(other.predictions)).toEqual([3, 4]);
    expect(predictors).toHaveLength(2);
    expect(predictors[0]!.destroyed).toBe(false);
    forward.open();
    expect(Array.from((await inUse).predictions)).toEqual([6, 7, 8]);
    await vi.waitFor(() => expect(predictors[0]!.destroyCount).toBe(1));

    // A release while a call is in flight waits for it too.
    const second = gate();
    predictors[1]!.hold = second.opened;
    const pending = service.predict('r1', new Int32Array([7, 8]));
    service.releaseModel('r1');
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(predictors[1]!.destroyed).toBe(false);
    second.open();
    expect(Array.from((await pending).predictions)).toEqual([9, 10]);
    await vi.waitFor(() => expect(predictors[1]!.destroyCount).toBe(1));
    expect(predictors.map((p) => p.destroyCount)).toEqual([1, 1]);
  });

  it('leaks nothing when two lengths are asked for while the first still compiles', async () => {
    const compiling = gate();
    const { service, predictors, ended } = setup(fakeTrainer(1), { compileHold: compiling.opened });
    await service.startRun(plan, 'r1');
    await ended('r1');
    const long = service.predict('r1', new Int32Array([1, 2, 3]));
    const short = service.predict('r1', new Int32Array([1, 2]));
    compiling.open();
    await Promise.all([long, short]);
    service.releaseModel('r1');
    await vi.waitFor(() => expect(predictors.map((p) => p.destroyCount)).toEqual([1, 1]));
  });

  it('drops the models compiled for a device lost after training: the next prediction compiles on a new device', async () => {
    const { service, predictors, problemHandlers, loseDevice, ended, acquisitions } = setup();
    await service.startRun(plan, 'r1');
    await ended('r1');
    await service.predict('r1', new Int32Array([1, 2, 3]));
    expect(predictors).toHaveLength(1);
    // No run is training, so only the worker's own watch hears the loss.
    expect(problemHandlers).toHaveLength(1);
    loseDevice();
    await vi.waitFor(() => expect(predictors[0]!.destroyed).toBe(true));

    const again = await service.predict('r1', new Int32Array([1, 2, 3]));
    expect(Array.from(again.predictions)).toEqual([3, 4, 5]);
    expect(predictors).toHaveLength(2);
    expect(acquisitions()).toBe(2);
  });

  it('refuses predictions for a run without a stored model, with what to do', async () => {
    const { service } = setup();
    await expect(service.predict('never-trained', new Int32Array([1]))).rejects.toThrow(/no saved model.*train it again/);
  });
});
