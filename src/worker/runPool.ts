// Runs queued training runs on up to `size` workers, one run per worker at a time, first come
// first served. Independent runs of a sweep thus train side by side when the adapter has room
// (workerCount.ts picks the size). A worker that crashes fails only the run it held: the pool
// reports that run as failed with the reason, drops the worker, starts a fresh one for the next
// run and goes on. Pure logic over an injected worker factory, so it is tested with fakes.

import type { RunPlan } from '../train/types.ts';
import type { RunOptions } from './runRecords.ts';
import { isTerminalEvent, type WorkerEvent } from './api.ts';

/** The part of a worker the pool uses (trainerClient.ts wraps a real Worker in it). */
export interface PoolWorker {
  startRun(plan: RunPlan, runId: string, options: RunOptions): Promise<unknown>;
  pause(runId: string): void;
  resume(runId: string): void;
  cancel(runId: string): void;
  terminate(): void;
}

export interface PoolWorkerHooks {
  onEvents(batch: WorkerEvent[]): void;
  /** The worker died or threw outside any run's handling; `reason` is one sentence. */
  onCrash(reason: string): void;
}

export type PoolWorkerFactory = (hooks: PoolWorkerHooks) => PoolWorker;

export interface RunPoolOptions {
  /** Most workers training at once (at least 1). */
  size: number;
  createWorker: PoolWorkerFactory;
  /** Every event of every run, in order per run, including the pool's own 'failed' and 'cancelled'. */
  onEvents(batch: WorkerEvent[]): void;
}

interface QueuedRun {
  runId: string;
  plan: RunPlan;
  options: RunOptions;
}

interface Slot {
  worker: PoolWorker | null;
  runId: string | null;
}

export class RunPool {
  private readonly queue: QueuedRun[] = [];
  private readonly slots: Slot[];

  constructor(private readonly options: RunPoolOptions) {
    if (!Number.isInteger(options.size) || options.size < 1) {
      throw new Error(`A run pool needs at least one worker, got size ${options.size}.`);
    }
    this.slots = Array.from({ length: options.size }, () => ({ worker: null, runId: null }));
  }

  get size(): number {
    return this.slots.length;
  }

  /** Run ids in the order they will start. */
  queuedRunIds(): string[] {
    return this.queue.map((run) => run.runId);
  }

  /** Run ids currently held by a worker. */
  activeRunIds(): string[] {
    return this.slots.flatMap((slot) => (slot.runId === null ? [] : [slot.runId]));
  }

  submit(runId: string, plan: RunPlan, options: RunOptions): void {
    if (this.holds(runId)) throw new Error(`Run ${runId} is already queued or training.`);
    this.queue.push({ runId, plan, options });
    this.dispatch();
  }

  pause(runId: string): void {
    this.slotOf(runId)?.worker?.pause(runId);
  }

  resume(runId: string): void {
    this.slotOf(runId)?.worker?.resume(runId);
  }

  /** A queued run leaves the queue at once; a training run is stopped by its worker. */
  cancel(runId: string): void {
    const index = this.queue.findIndex((run) => run.runId === runId);
    if (index >= 0) {
      this.queue.splice(index, 1);
      this.options.onEvents([{ kind: 'cancelled', runId }]);
      return;
    }
    this.slotOf(runId)?.worker?.cancel(runId);
  }

  /** Stops every worker; queued runs stay unstarted (the page persists them for next time). */
  dispose(): void {
    this.queue.length = 0;
    for (const slot of this.slots) {
      slot.worker?.terminate();
      slot.worker = null;
      slot.runId = null;
    }
  }

  private holds(runId: string): boolean {
    return this.queue.some((run) => run.runId === runId) || this.slotOf(runId) !== undefined;
  }

  private slotOf(runId: string): Slot | undefined {
    return this.slots.find((slot) => slot.runId === runId);
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.runId !== null) continue;
      const run = this.queue.shift()!;
      slot.runId = run.runId;
      const worker = (slot.worker ??= this.createWorker(slot));
      worker.startRun(run.plan, run.runId, run.options).catch((error: unknown) => {
        // The call itself failed (the worker rejected it); the worker lives on.
        if (slot.runId !== run.runId) return;
        this.release(slot, [{ kind: 'failed', runId: run.runId, reason: `The run could not start: ${reasonText(error)}` }]);
      });
    }
  }

  private createWorker(slot: Slot): PoolWorker {
    const worker = this.options.createWorker({
      onEvents: (batch) => {
        if (slot.worker !== worker) return; // a late message from a worker the pool has dropped
        const ended = slot.runId !== null && batch.some((event) => event.runId === slot.runId && isTerminalEvent(event));
        if (ended) this.release(slot, batch);
        else this.options.onEvents(batch);
      },
      onCrash: (reason) => {
        if (slot.worker !== worker) return;
        worker.terminate();
        slot.worker = null;
        const runId = slot.runId;
        const failure: WorkerEvent[] =
          runId === null
            ? []
            : [{ kind: 'failed', runId, reason: `The training worker stopped unexpectedly (${reason}); the other runs go on, and this one can be started again.` }];
        this.release(slot, failure);
      },
    });
    return worker;
  }

  private release(slot: Slot, batch: WorkerEvent[]): void {
    slot.runId = null;
    if (batch.length > 0) this.options.onEvents(batch);
    this.dispatch();
  }
}

function reasonText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
