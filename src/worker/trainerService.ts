// What a training worker does, apart from comlink: builds the run's data, trains it on the
// worker's one GPU device (workerDevice.ts: acquired on first use, again after a loss), persists
// checkpoints to IndexedDB on the CheckpointSchedule, continues an interrupted run from its stored
// checkpoint (or says why a stored one cannot be used), pauses, resumes and cancels, and reports
// every event through the EventBatcher. A lost device or a GPU error fails the run with that
// reason; the worker then serves the next run. A write that fails (storage full) never stops
// training: the run reports it and the next checkpoint tries again. A finished run's final
// parameters are stored with it, and predict() answers with that model's predictions for one
// instance (one compiled model per run, shared by concurrent requests and destroyed only when none
// uses it, and dropped when the device is lost).
// The dependencies are injected so this is tested in Node with a fake trainer and store.

import type { EngineGpu } from '../engine/compile.ts';
import type { DeviceProblem } from '../gpu/deviceErrors.ts';
import { resumeProblem, type Checkpoint } from '../train/checkpoint.ts';
import { RunControl } from '../train/runControl.ts';
import type { TrainingData, TrainRunOptions } from '../train/trainer.ts';
import type { RunMemoryOutcome } from '../train/runMemoryPlan.ts';
import type { RunEvent, RunPlan, RunResult } from '../train/types.ts';
import type { TaskSetting } from '../tasks/types.ts';
import type { TrainerWorkerApi, WorkerEvent, WorkerEventListener, WorkerRunSummary, WorkerSetup } from './api.ts';
import { CheckpointSchedule, checkpointRecord, usableCheckpoint, type StoredCheckpoint } from '../storage/checkpointRecord.ts';
import { errorText, isStorageFull } from '../storage/errorText.ts';
import { EventBatcher } from './eventBatcher.ts';
import { WorkerDevice, type WorkerGpu } from './workerDevice.ts';
import { modelRecord, usableModel, type StoredModel } from '../storage/modelRecord.ts';
import type { RunPrediction } from './predictions.ts';
import { DEFAULT_RUN_OPTIONS, type RunOptions, type SavedThing } from '../storage/runRecords.ts';

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
  /**
   * The run's whole memory plan on this device (train/runMemoryPlan.ts), before any data exist: a
   * run that cannot fit fails with its problems instead of growing the worker until it dies.
   */
  planMemory(plan: RunPlan, gpu: EngineGpu): RunMemoryOutcome;
  storage(): Promise<CheckpointStorage>;
  compilePredictor(gpu: EngineGpu, plan: RunPlan, inputLength: number, parameters: Float32Array): Promise<Predictor>;
  now?(): number;
  newRunId?(): string;
}

/** A run's compiled model for one instance length, with the predict() calls using it now. */
interface LoadedPredictor {
  runId: string;
  inputLength: number;
  predictor: Promise<Predictor>;
  users: number;
  /** Released or replaced: destroyed as soon as no call uses it. */
  retired: boolean;
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
  private readonly device: WorkerDevice;
  /** The current compiled model of each finished run asked for predictions, by run id. */
  private readonly predictors = new Map<string, LoadedPredictor>();
  /** WorkerSetup.holdDataGenerationMs, until the first run's data generation uses it. */
  private holdDataGenerationMs = 0;

  constructor(private readonly deps: TrainerServiceDeps) {
    this.device = new WorkerDevice(() => deps.acquireGpu());
    // Models compiled for a lost device cannot run: the next prediction compiles on the new one.
    this.device.onLoss(() => {
      for (const loaded of [...this.predictors.values()]) this.retire(loaded);
    });
  }

  connect(listener: WorkerEventListener, setup?: WorkerSetup): void {
    this.batcher?.flush();
    this.batcher = new EventBatcher((batch) => listener(batch));
    this.holdDataGenerationMs = setup?.holdDataGenerationMs ?? 0;
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
    // Taken and counted before any await, so no other call can retire it unseen.
    const loaded = this.predictorFor(runId, inputs.length);
    loaded.users++;
    try {
      return await (await loaded.predictor).predict(inputs);
    } finally {
      loaded.users--;
      this.destroyIfUnused(loaded);
    }
  }

  releaseModel(runId: string): void {
    const loaded = this.predictors.get(runId);
    if (loaded) this.retire(loaded);
  }

  /** The run's compiled model for this length: the current one, or a new one replacing it. */
  private predictorFor(runId: string, inputLength: number): LoadedPredictor {
    const current = this.predictors.get(runId);
    if (current?.inputLength === inputLength) return current;
    if (current) this.retire(current);
    const loaded: LoadedPredictor = { runId, inputLength, predictor: this.loadPredictor(runId, inputLength), users: 0, retired: false };
    this.predictors.set(runId, loaded);
    // A failed load is tried again by the next request rather than remembered.
    loaded.predictor.catch(() => {
      if (this.predictors.get(runId) === loaded) this.predictors.delete(runId);
    });
    return loaded;
  }

  private retire(loaded: LoadedPredictor): void {
    if (this.predictors.get(loaded.runId) === loaded) this.predictors.delete(loaded.runId);
    loaded.retired = true;
    this.destroyIfUnused(loaded);
  }

  private destroyIfUnused(loaded: LoadedPredictor): void {
    if (!loaded.retired || loaded.users > 0) return;
    loaded.predictor.then(
      (predictor) => predictor.destroy(),
      () => {},
    );
  }

  private async loadPredictor(runId: string, inputLength: number): Promise<Predictor> {
    const storage = await this.deps.storage();
    const model = usableModel(await storage.getModel(runId), runId);
    const worker = await this.device.acquire();
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
      if (this.holdDataGenerationMs > 0) {
        holdThread(this.holdDataGenerationMs);
        this.holdDataGenerationMs = 0;
      }
      const worker = await this.device.acquire();
      const memory = this.deps.planMemory(plan, worker.gpu);
      if (!memory.ok) throw new Error(memory.problems.map((p) => p.message).join(' '));
      const data = this.deps.buildData(plan.setting);
      stopWatching = worker.watch((problem) => {
        run.problem ??= problem;
        // An uncaptured error leaves the results meaningless; a lost device cannot go on (the
        // WorkerDevice forgets it, so the next run acquires a new one).
        run.control.cancel(problem.message);
      });
      if (run.control.isCancelled) throw new Error('cancelled before training started');
      if (run.state === 'preparing') run.state = 'running';
      const result = await this.deps.trainRun(worker.gpu, plan, data, {
        runId,
        control: run.control,
        resumeFrom,
        // The split the plan found to fit (a resumed run keeps its checkpoint's own).
        microBatches: memory.memory.microBatches,
        // The trainer offers a checkpoint every epoch; the schedule decides which are persisted.
        checkpointEvery: 1,
        // Stored before 'finished' goes out, so the page may ask for predictions at once. A model
        // that cannot be stored costs its predictions, never the results.
        onFinalParameters: async (parameters) => {
          await this.saveOrReport(runId, 'model', null, () => storage.putModel(modelRecord(runId, plan, parameters, this.now())));
        },
        // A checkpoint that cannot be stored leaves the last stored one in place; the schedule's
        // next checkpoint tries again.
        onCheckpoint: async (checkpoint) => {
          const last = checkpoint.epochs.at(-1);
          if (!last || !schedule.epochEnded(last.seconds)) return;
          const saved = await this.saveOrReport(runId, 'checkpoint', last.epoch, () => storage.putCheckpoint(checkpointRecord(runId, plan, last.epoch, checkpoint, this.now())));
          if (saved) persistedEpochs.add(last.epoch);
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
      else this.finish(run, { kind: 'failed', runId, reason: errorText(error) });
    } finally {
      stopWatching();
    }
  }

  /** Runs one write; true when it landed, false after reporting why it did not (training goes on). */
  private async saveOrReport(runId: string, what: SavedThing, epoch: number | null, write: () => Promise<void>): Promise<boolean> {
    try {
      await write();
      return true;
    } catch (error) {
      // The storage error's cause is the DOMException itself: its name and message say enough.
      const cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
      this.emit({ kind: 'save-failed', runId, what, epoch, storageFull: isStorageFull(error), reason: errorText(cause) });
      return false;
    }
  }

  /**
   * The stored checkpoint to continue from, announced with a 'restored' event; undefined to start
   * afresh, announced with a 'checkpoint-unused' event and its reason when one was stored.
   */
  private async restorable(runId: string, plan: RunPlan, storage: CheckpointStorage): Promise<Checkpoint | undefined> {
    const stored = await storage.getCheckpoint(runId);
    if (stored === undefined) return undefined;
    const unused = (reason: string): undefined => {
      this.emit({ kind: 'checkpoint-unused', runId, epoch: typeof stored.epoch === 'number' ? stored.epoch : null, reason });
      return undefined;
    };
    const verdict = usableCheckpoint(stored, plan);
    if (!verdict.usable) return unused(verdict.reason);
    // A checkpoint of this format may still be written by an older trainer: start again rather than fail.
    const problem = resumeProblem(verdict.checkpoint, plan);
    if (problem !== null) return unused(problem);
    this.emit({ kind: 'restored', runId, fromEpoch: verdict.epoch, epochs: verdict.checkpoint.epochs });
    return verdict.checkpoint;
  }

  private finish(run: ActiveRun, event: WorkerEvent): void {
    if (this.active === run) this.active = null;
    this.emit(event);
  }

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }
}

/** Keeps this thread busy for `ms`, as generating a huge data set does (WorkerSetup.holdDataGenerationMs). */
function holdThread(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // Busy on purpose: the point is an event loop that cannot see messages.
  }
}
