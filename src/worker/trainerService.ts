// What a training worker does, apart from comlink: builds the run's data, trains it on the
// worker's one GPU device (acquired on first use, again after a loss), persists checkpoints to
// IndexedDB on the CheckpointSchedule, continues an interrupted run from its stored checkpoint,
// pauses, resumes and cancels, and reports every event through the EventBatcher. A lost device
// or a GPU error fails the run with that reason; the worker then serves the next run. A finished
// run's final parameters are stored with it, and predict() answers with that model's predictions
// for one instance (the compiled model is kept per run until released). The dependencies are
// injected so this is tested in Node with a fake trainer and store.

import type { EngineGpu } from '../engine/compile.ts';
import type { DeviceProblem } from '../gpu/deviceErrors.ts';
import { GpuUnavailableError } from '../gpu/errors.ts';
import { assertResumes, type Checkpoint } from '../train/checkpoint.ts';
import { RunControl } from '../train/runControl.ts';
import type { TrainingData, TrainRunOptions } from '../train/trainer.ts';
import type { RunEvent, RunPlan, RunResult } from '../train/types.ts';
import type { TaskSetting } from '../tasks/types.ts';
import type { TrainerWorkerApi, WorkerEvent, WorkerEventListener, WorkerRunSummary } from './api.ts';
import { CheckpointSchedule, checkpointRecord, usableCheckpoint, type StoredCheckpoint } from './checkpointRecord.ts';
import { EventBatcher } from './eventBatcher.ts';
import { modelRecord, usableModel, type StoredModel } from './modelRecord.ts';
import type { RunPrediction } from './predictions.ts';
import { DEFAULT_RUN_OPTIONS, type RunOptions } from './runRecords.ts';

/** The worker's device, with a way to hear about its loss and uncaptured errors. */
export interface WorkerGpu {
  gpu: EngineGpu;
  /** Calls `onProblem` on device loss or an uncaptured GPU error; returns a function that stops watching. */
  watch(onProblem: (problem: DeviceProblem) => void): () => void;
}

export interface CheckpointStorage {
  getCheckpoint(runId: string): Promise<StoredCheckpoint<Checkpoint> | undefined>;
  putCheckpoint(record: StoredCheckpoint<Checkpoint>): Promise<void>;
  getModel(runId: string): Promise<StoredModel | undefined>;
  putModel(record: StoredModel): Promise<void>;
}

/** A run's model compiled for instances of one length (predictionModel.ts's RunPredictor). */
export interface Predictor {
  readonly inputLength: number;
  predict(inputs: Int32Array): Promise<RunPrediction>;
  destroy(): void;
}

export interface TrainerServiceDeps {
  acquireGpu(): Promise<WorkerGpu>;
  trainRun(gpu: EngineGpu, plan: RunPlan, data: TrainingData, options: TrainRunOptions): Promise<RunResult>;
  buildData(setting: TaskSetting): TrainingData;
  storage(): Promise<CheckpointStorage>;
  compilePredictor(gpu: EngineGpu, plan: RunPlan, inputLength: number, parameters: Float32Array): Promise<Predictor>;
  now?(): number;
  newRunId?(): string;
}

interface ActiveRun {
  runId: string;
  control: RunControl;
  state: WorkerRunSummary['state'];
  cancelledByUser: boolean;
  /** The first device problem seen while it trained: the reason it failed. */
  problem: DeviceProblem | null;
}

export class TrainerService implements TrainerWorkerApi {
  private batcher: EventBatcher | null = null;
  private active: ActiveRun | null = null;
  private gpu: Promise<WorkerGpu> | null = null;
  /** Compiled models of finished runs, by run id, kept until released (one instance length each). */
  private readonly predictors = new Map<string, Promise<Predictor>>();

  constructor(private readonly deps: TrainerServiceDeps) {}

  connect(listener: WorkerEventListener): void {
    this.batcher?.flush();
    this.batcher = new EventBatcher((batch) => listener(batch));
  }

  async startRun(plan: RunPlan, runId = this.deps.newRunId?.() ?? crypto.randomUUID(), options: RunOptions = DEFAULT_RUN_OPTIONS): Promise<string> {
    if (this.batcher === null) throw new Error('The worker has no listener: call connect() before startRun().');
    if (this.active !== null) throw new Error(`This worker is already training run ${this.active.runId}: start the next run when it ends, or in another worker.`);
    const schedule = new CheckpointSchedule(options.checkpointEvery);
    const run: ActiveRun = { runId, control: new RunControl(), state: 'preparing', cancelledByUser: false, problem: null };
    this.active = run;
    void this.train(run, plan, schedule);
    return runId;
  }

  pause(runId: string): void {
    const run = this.runNamed(runId);
    if (!run || run.state === 'paused' || run.control.isCancelled) return;
    run.control.pause();
    run.state = 'paused';
    this.emit({ kind: 'paused', runId });
  }

  resume(runId: string): void {
    const run = this.runNamed(runId);
    if (!run || run.state !== 'paused') return;
    run.control.resume();
    run.state = 'running';
    this.emit({ kind: 'continued', runId });
  }

  cancel(runId: string): void {
    this.releaseModel(runId);
    const run = this.runNamed(runId);
    if (!run) return;
    run.cancelledByUser = true;
    run.control.cancel();
  }

  listRuns(): WorkerRunSummary[] {
    return this.active ? [{ runId: this.active.runId, state: this.active.state }] : [];
  }

  async predict(runId: string, inputs: Int32Array): Promise<RunPrediction> {
    let pending = this.predictors.get(runId);
    const loaded = await pending?.catch(() => null);
    if (!loaded || loaded.inputLength !== inputs.length) {
      loaded?.destroy();
      pending = this.loadPredictor(runId, inputs.length);
      this.predictors.set(runId, pending);
      // A failed load is tried again by the next request rather than remembered.
      pending.catch(() => {
        if (this.predictors.get(runId) === pending) this.predictors.delete(runId);
      });
    }
    return (await pending!).predict(inputs);
  }

  releaseModel(runId: string): void {
    const pending = this.predictors.get(runId);
    if (!pending) return;
    this.predictors.delete(runId);
    pending.then((predictor) => predictor.destroy()).catch(() => {});
  }

  private async loadPredictor(runId: string, inputLength: number): Promise<Predictor> {
    const storage = await this.deps.storage();
    const model = usableModel(await storage.getModel(runId), runId);
    const worker = await this.acquire();
    return this.deps.compilePredictor(worker.gpu, model.plan, inputLength, model.parameters);
  }

  private runNamed(runId: string): ActiveRun | undefined {
    return this.active?.runId === runId ? this.active : undefined;
  }

  private emit(event: WorkerEvent): void {
    this.batcher?.push(event);
  }

  private async train(run: ActiveRun, plan: RunPlan, schedule: CheckpointSchedule): Promise<void> {
    const { runId } = run;
    let stopWatching = (): void => {};
    // Checkpoints the trainer offers but the schedule skips are not reported as 'checkpointed'.
    const persistedEpochs = new Set<number>();
    try {
      const storage = await this.deps.storage();
      const resumeFrom = await this.restorable(runId, plan, storage);
      const data = this.deps.buildData(plan.setting);
      const worker = await this.acquire();
      stopWatching = worker.watch((problem) => {
        run.problem ??= problem;
        // An uncaptured error leaves the results meaningless; a lost device cannot go on.
        run.control.cancel(problem.message);
        if (problem instanceof GpuUnavailableError) this.gpu = null;
      });
      if (run.control.isCancelled) throw new Error('cancelled before training started');
      if (run.state === 'preparing') run.state = 'running';
      const result = await this.deps.trainRun(worker.gpu, plan, data, {
        runId,
        control: run.control,
        resumeFrom,
        // The trainer offers a checkpoint every epoch; the schedule decides which are persisted.
        checkpointEvery: 1,
        // Stored before 'finished' goes out, so the page may ask for predictions at once.
        onFinalParameters: (parameters) => storage.putModel(modelRecord(runId, plan, parameters, this.now())),
        onCheckpoint: async (checkpoint) => {
          const last = checkpoint.epochs.at(-1);
          if (!last || !schedule.epochEnded(last.seconds)) return;
          await storage.putCheckpoint(checkpointRecord(runId, plan, last.epoch, checkpoint, this.now()));
          persistedEpochs.add(last.epoch);
        },
        onEvent: (event: RunEvent) => {
          // The outcome is reported below, once, with the worker's view of why a run ended.
          if (event.kind === 'finished' || event.kind === 'failed') return;
          if (event.kind === 'checkpointed' && !persistedEpochs.has(event.epoch)) return;
          this.emit(event);
        },
      });
      this.finish(run, { kind: 'finished', runId, result });
    } catch (error) {
      if (run.problem) this.finish(run, { kind: 'failed', runId, reason: run.problem.message });
      else if (run.cancelledByUser) this.finish(run, { kind: 'cancelled', runId });
      else this.finish(run, { kind: 'failed', runId, reason: error instanceof Error ? error.message : String(error) });
    } finally {
      stopWatching();
    }
  }

  /** The stored checkpoint to continue from, announced with a 'restored' event; undefined to start afresh. */
  private async restorable(runId: string, plan: RunPlan, storage: CheckpointStorage): Promise<Checkpoint | undefined> {
    const verdict = usableCheckpoint(await storage.getCheckpoint(runId), plan);
    if (!verdict.usable) return undefined;
    try {
      assertResumes(verdict.checkpoint, plan);
    } catch {
      return undefined; // written by an older trainer: start again rather than fail
    }
    this.emit({ kind: 'restored', runId, fromEpoch: verdict.epoch, epochs: verdict.checkpoint.epochs });
    return verdict.checkpoint;
  }

  private acquire(): Promise<WorkerGpu> {
    const pending = (this.gpu ??= this.deps.acquireGpu());
    // A failed acquisition is retried by the next run instead of failing every run after it.
    pending.catch(() => {
      if (this.gpu === pending) this.gpu = null;
    });
    return pending;
  }

  private finish(run: ActiveRun, event: WorkerEvent): void {
    if (this.active === run) this.active = null;
    this.emit(event);
  }

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }
}
