// The page's run controller: the one place that connects the run pool (training workers), the
// IndexedDB run store and the runs store the UI reads (handed in as a RunLedger: the store sits
// above this folder, in state/runsLedger.ts). It persists every run as it changes, and on
// page load lists the stored runs, marks the ones a reload or closed tab cut off as interrupted
// and restarts them (each worker continues from the run's last checkpoint), except runs cut off
// before their first training step (runRecords.ts). A failed or cancelled run keeps its last
// checkpoint, so it can be continued from there; only a finished run's checkpoint is deleted.
//
// Only one tab trains at a time: the controller holds a Web Lock while it runs, so a second tab
// shows the runs and waits instead of restarting the same interrupted runs twice.

import type { RunPlan } from '../train/types.ts';
import { isTerminalEvent, type WorkerEvent } from '../worker/api.ts';
import { canonicalJson } from '../train/canonicalJson.ts';
import { errorText } from '../storage/errorText.ts';
import { releaseRunModel } from './predictorClient.ts';
import { RunPool } from './runPool.ts';
import {
  ENDED_STATUSES,
  FINISHED_STATUSES,
  planRestore,
  type RunOptions,
  type StoredRun,
  type StoredRunStatus,
  type StoredSweep,
  type SweepKind,
} from '../storage/runRecords.ts';
import { RunStore } from '../storage/runStore.ts';
import { createTrainerWorker } from './trainerClient.ts';
import { trainingWorkerCount, type AdapterRoom } from './workerCount.ts';

const RUNNER_LOCK = 'mad-lab-runner';

/** What the launcher asks for: one setting, a task's grid, or a protocol profile. */
export interface LaunchRequest {
  kind: SweepKind;
  label: string;
  profile: string | null;
  runs: { plan: RunPlan; label: string }[];
  options: RunOptions;
}

/** A run as the page holds it; 'interrupted' marks a run a reload cut off, until it restarts. */
export interface LedgerRun extends Pick<StoredRun, 'plan' | 'options'> {
  status: StoredRunStatus | 'interrupted';
}

/**
 * The page's record of runs that the controller reads and reports to: the runs store the UI
 * reads implements it (state/runsLedger.ts). Its report methods are the store's named actions.
 */
export interface RunLedger {
  run(runId: string): LedgerRun | undefined;
  /** The run's record as it is persisted (an interrupted run is stored as running). */
  storedRun(runId: string): StoredRun | undefined;
  runsLoaded(stored: readonly StoredRun[], interrupted: ReadonlySet<string>): void;
  runsQueued(stored: readonly StoredRun[]): void;
  sweepsLoaded(sweeps: readonly StoredSweep[]): void;
  eventsReceived(batch: readonly WorkerEvent[], now: number): void;
  runRequeued(runId: string): void;
  runRemoved(runId: string): void;
  runnerChanged(runner: 'waiting' | 'ready'): void;
  runnerFailed(problem: string): void;
}

/** The part of RunStore the controller writes through (tests pass an in-memory one). */
export type RunPersistence = Pick<RunStore, 'putRun' | 'listRuns' | 'deleteRun' | 'deleteCheckpoint' | 'putSweep'>;

export class RunController {
  /** Per run, the last pending write, so writes of one run land in order. */
  private readonly writes = new Map<string, Promise<void>>();
  /** Launches being stored, by the request's canonical JSON: the same request again joins it. */
  private readonly launching = new Map<string, Promise<void>>();

  constructor(
    private readonly pool: RunPool,
    private readonly store: RunPersistence,
    private readonly ledger: RunLedger,
  ) {}

  /**
   * Stores and queues the request's runs. Idempotent while pending: the same request made again
   * before the first is stored (a double click on Run) is that launch, not a second one.
   */
  launch(request: LaunchRequest): Promise<void> {
    const key = canonicalJson(request);
    const pending = this.launching.get(key);
    if (pending) return pending;
    const launched = this.launchNow(request).finally(() => this.launching.delete(key));
    this.launching.set(key, launched);
    return launched;
  }

  private async launchNow(request: LaunchRequest): Promise<void> {
    const sweepId = crypto.randomUUID();
    const createdAt = Date.now();
    const runs: StoredRun[] = request.runs.map(({ plan, label }, i) => ({
      runId: crypto.randomUUID(),
      plan,
      options: request.options,
      sweepId,
      sweepKind: request.kind,
      label,
      // Distinct times keep the launch order when the list sorts by age.
      createdAt: createdAt + i,
      status: 'queued',
      epochs: [],
      checkpointEpoch: null,
      result: null,
      failure: null,
    }));
    const sweep: StoredSweep = { sweepId, kind: request.kind, label: request.label, profile: request.profile, runIds: runs.map((r) => r.runId), createdAt };
    await this.store.putSweep(sweep);
    await Promise.all(runs.map((run) => this.store.putRun(run)));
    this.ledger.sweepsLoaded([sweep]);
    this.ledger.runsQueued(runs);
    for (const run of runs) this.pool.submit(run.runId, run.plan, run.options);
  }

  pause(runId: string): void {
    this.pool.pause(runId);
  }

  /** Continues a paused run; one paused before a reload holds no worker and restarts from its checkpoint. */
  resume(runId: string): void {
    if (this.pool.activeRunIds().includes(runId)) {
      this.pool.resume(runId);
      return;
    }
    const view = this.ledger.run(runId);
    if (!view || view.status !== 'paused') return;
    this.onEvents([{ kind: 'continued', runId }]);
    this.pool.submit(runId, view.plan, view.options);
  }

  /** Ends a run in any state: the pool stops one it holds (see RunPool.cancel); one it does not hold (paused before a reload) ends here. */
  cancel(runId: string): void {
    const view = this.ledger.run(runId);
    if (!view || ENDED_STATUSES.has(view.status === 'interrupted' ? 'running' : view.status)) return;
    if (this.pool.activeRunIds().includes(runId) || this.pool.queuedRunIds().includes(runId)) {
      this.pool.cancel(runId);
      return;
    }
    this.onEvents([{ kind: 'cancelled', runId }]);
  }

  /**
   * Trains a failed or cancelled run again, under the same id (so it stays in its sweep and its
   * stored checkpoint, kept under that id, is found): its worker continues from the checkpoint
   * when one is stored and still fits the plan, and starts from the first epoch otherwise.
   */
  restart(runId: string): void {
    const view = this.ledger.run(runId);
    if (!view || (view.status !== 'failed' && view.status !== 'cancelled')) return;
    if (this.pool.activeRunIds().includes(runId) || this.pool.queuedRunIds().includes(runId)) return;
    this.ledger.runRequeued(runId);
    this.persist(runId, false);
    this.pool.submit(runId, view.plan, view.options);
  }

  /** Forgets an ended run: its record, its checkpoint, its model and its place in the list. */
  async remove(runId: string): Promise<void> {
    const view = this.ledger.run(runId);
    if (!view || !ENDED_STATUSES.has(view.status === 'interrupted' ? 'running' : view.status)) return;
    await this.writes.get(runId);
    await this.store.deleteRun(runId);
    releaseRunModel(runId);
    this.ledger.runRemoved(runId);
  }

  /** Lists stored runs, restarts the interrupted and queued ones, and stores as failed those cut off before their first step. */
  async restore(): Promise<void> {
    const stored = await this.store.listRuns();
    const { restart, interrupted, cutOff } = planRestore(stored);
    // Listed after the stored records, the failed records of cut-off runs replace them.
    this.ledger.runsLoaded([...stored, ...cutOff], interrupted);
    for (const run of cutOff) this.persist(run.runId, false);
    for (const run of restart) this.pool.submit(run.runId, run.plan, run.options);
  }

  readonly onEvents = (batch: WorkerEvent[]): void => {
    this.ledger.eventsReceived(batch, Date.now());
    // Steps are only for the live chart; every other event changes what a reload must know.
    const changed = new Set(batch.filter((event) => event.kind !== 'step').map((event) => event.runId));
    for (const runId of changed) this.persist(runId, batch.some((e) => e.runId === runId && isTerminalEvent(e)));
  };

  private persist(runId: string, ended: boolean): void {
    const record = this.ledger.storedRun(runId);
    if (!record) return;
    const previous = this.writes.get(runId) ?? Promise.resolve();
    const write = previous
      .then(() => this.store.putRun(record))
      // A finished run's outcome is stored, so its checkpoint has done its job; a failed or
      // cancelled run keeps its checkpoint to continue from it.
      .then(() => (ended && FINISHED_STATUSES.has(record.status) ? this.store.deleteCheckpoint(runId) : undefined))
      .catch((error: unknown) => this.ledger.runnerFailed(errorText(error)));
    this.writes.set(runId, write);
  }
}

async function adapterRoom(): Promise<AdapterRoom | null> {
  const adapter = await navigator.gpu?.requestAdapter({ powerPreference: 'high-performance' }).catch(() => null);
  if (!adapter) return null;
  const info: Partial<GPUAdapterInfo> = adapter.info ?? {};
  return {
    description: [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' '),
    isFallbackAdapter: info.isFallbackAdapter ?? false,
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
  };
}

/**
 * Resolves once this page holds the runner lock, which it then keeps for its lifetime (the
 * browser releases it when the page goes away). Calls `onWait` when another tab holds it.
 */
function acquireRunnerLock(onWait: () => void): Promise<void> {
  if (!navigator.locks) return Promise.resolve();
  const holdForever = () => new Promise<never>(() => {});
  return new Promise((resolve) => {
    void navigator.locks.request(RUNNER_LOCK, { ifAvailable: true }, (lock) => {
      if (lock) {
        resolve();
        return holdForever();
      }
      onWait();
      void navigator.locks.request(RUNNER_LOCK, () => {
        resolve();
        return holdForever();
      });
      return undefined;
    });
  });
}

let started: Promise<RunController> | null = null;

/**
 * Starts the page's controller once, reporting to `ledger` (the first call's): opens the store,
 * lists stored runs at once, then waits for the runner lock (held by another tab that trains)
 * before restarting interrupted runs.
 */
export function startRunController(ledger: RunLedger): Promise<RunController> {
  started ??= (async () => {
    const store = await RunStore.open();
    const stored = await store.listRuns();
    ledger.sweepsLoaded(await store.listSweeps());
    ledger.runsLoaded(stored, new Set());
    const size = trainingWorkerCount(navigator.hardwareConcurrency || 1, await adapterRoom());
    // The pool reports to the controller, which is built around the pool.
    let controller: RunController | null = null;
    const pool = new RunPool({ size, createWorker: createTrainerWorker, onEvents: (batch) => controller?.onEvents(batch) });
    const created = new RunController(pool, store, ledger);
    controller = created;
    await acquireRunnerLock(() => ledger.runnerChanged('waiting'));
    await created.restore();
    ledger.runnerChanged('ready');
    return created;
  })().catch((error: unknown) => {
    ledger.runnerFailed(errorText(error));
    throw error;
  });
  return started;
}
