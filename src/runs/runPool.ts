// Runs queued training runs on up to `size` workers, one run per worker at a time, first come
// first served. Independent runs of a sweep thus train side by side when the adapter has room
// (workerCount.ts picks the size). A worker that crashes fails only the run it held: the pool
// reports that run as failed with the reason, drops the worker, starts a fresh one for the next
// run and goes on. Cancel never depends on the worker answering: a worker busy in synchronous
// work (generating a huge data set, compiling) cannot even see the message, so one that has not
// ended the run CANCEL_GRACE_MS after being asked is terminated, the run reported cancelled and
// the worker replaced for the next run. Pure logic over an injected worker factory, so it is
// tested with fakes.

import type { RunPlan } from '../train/types.ts';
import type { RunOptions } from '../storage/runRecords.ts';
import { isTerminalEvent, type WorkerEvent } from '../worker/api.ts';
import { errorText } from '../storage/errorText.ts';

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

/**
 * How long a worker has to end a cancelled run before it is terminated. A responsive worker
 * answers within one training step or evaluation batch (milliseconds at the lab's sizes); 2 s
 * leaves room for a slow step on a software GPU, and is short enough that Cancel feels
 * immediate. A worker terminated too eagerly costs only a new worker (and GPU device) for the
 * next run: its stored checkpoint is untouched and IndexedDB drops an unfinished write whole.
 */
export const CANCEL_GRACE_MS = 2000;

export interface RunPoolOptions {
  /** Most workers training at once (at least 1). */
  size: number;
  createWorker: PoolWorkerFactory;
  /** Every event of every run, in order per run, including the pool's own 'preparing', 'failed' and 'cancelled'. */
  onEvents(batch: WorkerEvent[]): void;
  /** Overrides CANCEL_GRACE_MS (tests). */
  cancelGraceMs?: number;
}

interface QueuedRun {
  runId: string;
  plan: RunPlan;
  options: RunOptions;
}

interface Slot {
  worker: PoolWorker | null;
  runId: string | null;
  /** Set while the run held here was asked to cancel: terminates the worker when it fires. */
  cancelDeadline: ReturnType<typeof setTimeout> | null;
}

export class RunPool {
  private readonly queue: QueuedRun[] = [];
  private readonly slots: Slot[];

  constructor(private readonly options: RunPoolOptions) {
    if (!Number.isInteger(options.size) || options.size < 1) {
      throw new Error(`A run pool needs at least one worker, got size ${options.size}.`);
    }
    this.slots = Array.from({ length: options.size }, () => ({ worker: null, runId: null, cancelDeadline: null }));
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

  /**
   * A queued run leaves the queue at once. A run a worker holds is stopped by that worker, or,
   * when the worker has not ended it within the grace period, by terminating the worker.
   */
  cancel(runId: string): void {
    const index = this.queue.findIndex((run) => run.runId === runId);
    if (index >= 0) {
      this.queue.splice(index, 1);
      this.options.onEvents([{ kind: 'cancelled', runId }]);
      return;
    }
    const slot = this.slotOf(runId);
    if (!slot?.worker || slot.cancelDeadline !== null) return;
    slot.worker.cancel(runId);
    slot.cancelDeadline = setTimeout(() => this.stopUnresponsive(slot, runId), this.options.cancelGraceMs ?? CANCEL_GRACE_MS);
  }

  /** Stops every worker; queued runs stay unstarted (the page persists them for next time). */
  dispose(): void {
    this.queue.length = 0;
    for (const slot of this.slots) {
      slot.worker?.terminate();
      slot.worker = null;
      this.clearCancelDeadline(slot);
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
      this.options.onEvents([{ kind: 'preparing', runId: run.runId }]);
      worker.startRun(run.plan, run.runId, run.options).catch((error: unknown) => {
        // The call itself failed (the worker rejected it); the worker lives on.
        if (slot.runId !== run.runId) return;
        const cancelling = slot.cancelDeadline !== null;
        this.release(slot, [cancelling ? { kind: 'cancelled', runId: run.runId } : { kind: 'failed', runId: run.runId, reason: `The run could not start: ${errorText(error)}` }]);
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
        // A crash while a cancel was pending is the cancel's outcome, not a failure.
        const cancelling = slot.cancelDeadline !== null;
        const outcome: WorkerEvent[] =
          runId === null
            ? []
            : cancelling
              ? [{ kind: 'cancelled', runId }]
              : [{ kind: 'failed', runId, reason: `The training worker stopped unexpectedly (${reason}); the other runs go on, and this one can be started again.` }];
        this.release(slot, outcome);
      },
    });
    return worker;
  }

  /** The cancel's grace period ran out with the run still held: the worker is stuck, so it goes. */
  private stopUnresponsive(slot: Slot, runId: string): void {
    slot.cancelDeadline = null;
    if (slot.runId !== runId) return;
    slot.worker?.terminate();
    slot.worker = null;
    this.release(slot, [{ kind: 'cancelled', runId }]);
  }

  private clearCancelDeadline(slot: Slot): void {
    if (slot.cancelDeadline !== null) clearTimeout(slot.cancelDeadline);
    slot.cancelDeadline = null;
  }

  private release(slot: Slot, batch: WorkerEvent[]): void {
    this.clearCancelDeadline(slot);
    slot.runId = null;
    if (batch.length > 0) this.options.onEvents(batch);
    this.dispatch();
  }
}
