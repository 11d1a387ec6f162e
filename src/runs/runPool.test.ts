// RunPool over fake workers: queueing and dispatch, crashes, and Cancel in every state a run can
// be in, including a worker that never answers (stuck in synchronous data generation).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { architectureFromLayers } from '../model/architecture.ts';
import { makeSetting } from '../tasks/settings.ts';
import { DEFAULT_TRAINING, type RunPlan, type RunResult } from '../train/types.ts';
import type { WorkerEvent } from '../worker/api.ts';
import { DEFAULT_RUN_OPTIONS } from '../storage/runRecords.ts';
import { CANCEL_GRACE_MS, RunPool, type PoolWorker, type PoolWorkerHooks } from './runPool.ts';

const plan: RunPlan = {
  architecture: architectureFromLayers(['mh-attention', 'swiglu'], { dim: 16 }),
  setting: makeSetting('memorization', { vocabSize: 8, seqLen: 8, numTrainExamples: 64, numTestExamples: 16 }),
  training: { ...DEFAULT_TRAINING, epochs: 2 },
};

/**
 * How a fake worker takes a cancel: 'never' is a worker stuck in synchronous work (its event loop
 * never sees the message); a number answers 'cancelled' after that many ms (0: at the next step).
 */
type CancelAnswer = 'never' | number;

/** A worker that records calls and lets the test play its events. */
class FakeWorker implements PoolWorker {
  readonly calls: string[] = [];
  terminated = false;
  rejectNextStart: Error | null = null;
  cancelAnswer: CancelAnswer = 'never';

  constructor(readonly id: number, readonly hooks: PoolWorkerHooks) {}

  startRun(_plan: RunPlan, runId: string): Promise<unknown> {
    this.calls.push(`start ${runId}`);
    const rejection = this.rejectNextStart;
    this.rejectNextStart = null;
    return rejection ? Promise.reject(rejection) : Promise.resolve();
  }
  pause(runId: string): void {
    this.calls.push(`pause ${runId}`);
  }
  resume(runId: string): void {
    this.calls.push(`resume ${runId}`);
  }
  cancel(runId: string): void {
    this.calls.push(`cancel ${runId}`);
    const answer = this.cancelAnswer;
    if (answer !== 'never') setTimeout(() => this.hooks.onEvents([{ kind: 'cancelled', runId }]), answer);
  }
  terminate(): void {
    this.terminated = true;
  }
  finish(runId: string): void {
    this.hooks.onEvents([{ kind: 'finished', runId, result: RESULT }]);
  }
}

const RESULT: RunResult = {
  status: 'completed',
  bestEpoch: 0,
  row: { train_acc: 1, train_ppl: 1, train_loss: 0, test_acc: 1, test_ppl: 1, test_loss: 0 },
  epochs: [],
  microBatches: 1,
  seconds: 1,
};

function setup(size: number) {
  const workers: FakeWorker[] = [];
  const events: WorkerEvent[] = [];
  const pool = new RunPool({
    size,
    createWorker: (hooks) => {
      const worker = new FakeWorker(workers.length, hooks);
      workers.push(worker);
      return worker;
    },
    onEvents: (batch) => events.push(...batch),
  });
  return { pool, workers, events };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const kinds = (events: WorkerEvent[], runId: string) => events.filter((e) => e.runId === runId).map((e) => e.kind);
const started = (runId: string, totalEpochs = 2): WorkerEvent => ({ kind: 'started', runId, totalEpochs, stepsPerEpoch: 4, microBatches: 1 });

describe('RunPool', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('trains up to `size` runs at once, one per worker, and starts queued runs as workers free up', () => {
    const { pool, workers } = setup(2);
    for (const id of ['r1', 'r2', 'r3', 'r4']) pool.submit(id, plan, DEFAULT_RUN_OPTIONS);
    expect(workers).toHaveLength(2);
    expect(workers.map((w) => w.calls)).toEqual([['start r1'], ['start r2']]);
    expect(pool.activeRunIds()).toEqual(['r1', 'r2']);
    expect(pool.queuedRunIds()).toEqual(['r3', 'r4']);

    workers[1].finish('r2');
    expect(workers[1].calls).toEqual(['start r2', 'start r3']);
    expect(pool.activeRunIds()).toEqual(['r1', 'r3']);
    workers[0].finish('r1');
    expect(workers[0].calls).toEqual(['start r1', 'start r4']);
    expect(workers).toHaveLength(2);
  });

  it('forwards events and frees a worker only on a terminal event of its own run', () => {
    const { pool, workers, events } = setup(1);
    pool.submit('r1', plan, DEFAULT_RUN_OPTIONS);
    pool.submit('r2', plan, DEFAULT_RUN_OPTIONS);
    workers[0].hooks.onEvents([{ kind: 'started', runId: 'r1', totalEpochs: 2, stepsPerEpoch: 1, microBatches: 1 }]);
    workers[0].hooks.onEvents([{ kind: 'checkpointed', runId: 'r1', epoch: 0 }]);
    expect(pool.queuedRunIds()).toEqual(['r2']);
    workers[0].hooks.onEvents([{ kind: 'cancelled', runId: 'r1' }]);
    expect(events.map((e) => `${e.kind} ${e.runId}`)).toEqual(['preparing r1', 'started r1', 'checkpointed r1', 'cancelled r1', 'preparing r2']);
    expect(pool.activeRunIds()).toEqual(['r2']);
  });

  it('routes pause, resume and cancel to the worker holding the run', () => {
    vi.useFakeTimers();
    const { pool, workers, events } = setup(1);
    pool.submit('r1', plan, DEFAULT_RUN_OPTIONS);
    workers[0].cancelAnswer = 0;
    pool.pause('r1');
    pool.resume('r1');
    pool.cancel('r1');
    pool.cancel('r1'); // a second click while the first cancel is pending asks nothing more
    vi.advanceTimersByTime(0);
    expect(workers[0].calls).toEqual(['start r1', 'pause r1', 'resume r1', 'cancel r1']);
    expect(kinds(events, 'r1')).toEqual(['preparing', 'cancelled']);
  });

  it('fails only the crashed worker’s run, replaces that worker and goes on with the queue', () => {
    const { pool, workers, events } = setup(2);
    for (const id of ['r1', 'r2', 'r3']) pool.submit(id, plan, DEFAULT_RUN_OPTIONS);
    workers[0].hooks.onCrash('out of memory');
    expect(workers[0].terminated).toBe(true);
    const failures = events.filter((e) => e.kind === 'failed');
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ kind: 'failed', runId: 'r1' });
    expect(failures[0]!.kind === 'failed' && failures[0]!.reason).toMatch(/out of memory/);
    expect(workers).toHaveLength(3);
    expect(workers[2].calls).toEqual(['start r3']);
    expect(workers[1].terminated).toBe(false);
    expect(pool.activeRunIds().sort()).toEqual(['r2', 'r3']);

    // A late message from the dropped worker changes nothing.
    const seen = events.length;
    workers[0].finish('r1');
    expect(events).toHaveLength(seen);
  });

  it('fails a run whose start the worker rejects, keeping the worker for the next run', async () => {
    const { pool, workers, events } = setup(1);
    pool.submit('r0', plan, DEFAULT_RUN_OPTIONS);
    workers[0].finish('r0');
    workers[0].rejectNextStart = new Error('the plan is invalid');
    pool.submit('r1', plan, DEFAULT_RUN_OPTIONS);
    pool.submit('r2', plan, DEFAULT_RUN_OPTIONS);
    await settle();
    expect(events.filter((e) => e.runId === 'r1').at(-1)).toEqual({ kind: 'failed', runId: 'r1', reason: expect.stringMatching(/the plan is invalid/) });
    expect(workers).toHaveLength(1);
    expect(workers[0].calls.at(-1)).toBe('start r2');
  });

  it('refuses a run id it already holds and a size below one', () => {
    const { pool } = setup(1);
    pool.submit('r1', plan, DEFAULT_RUN_OPTIONS);
    expect(() => pool.submit('r1', plan, DEFAULT_RUN_OPTIONS)).toThrow(/already/);
    expect(() => setup(0)).toThrow(/at least one worker/);
  });

  describe('Cancel ends a run in every state', () => {
    /** Two runs on one worker: r1 held by the worker in the given state, r2 queued behind it. */
    function holding(cancelAnswer: CancelAnswer, before: WorkerEvent[]) {
      vi.useFakeTimers();
      const context = setup(1);
      context.pool.submit('r1', plan, DEFAULT_RUN_OPTIONS);
      context.pool.submit('r2', plan, DEFAULT_RUN_OPTIONS);
      const [worker] = context.workers;
      worker!.cancelAnswer = cancelAnswer;
      if (before.length > 0) worker!.hooks.onEvents(before);
      context.pool.cancel('r1');
      return { ...context, worker: worker! };
    }

    it('queued: leaves the queue at once and never starts', () => {
      vi.useFakeTimers();
      const { pool, workers, events } = setup(1);
      pool.submit('r1', plan, DEFAULT_RUN_OPTIONS);
      pool.submit('r2', plan, DEFAULT_RUN_OPTIONS);
      pool.cancel('r2');
      expect(kinds(events, 'r2')).toEqual(['cancelled']);
      expect(pool.queuedRunIds()).toEqual([]);
      workers[0]!.finish('r1');
      expect(workers[0]!.calls).toEqual(['start r1']);
      expect(workers[0]!.terminated).toBe(false);
    });

    it('generating data (the worker never answers): the worker is terminated after the grace period and the next run starts on a fresh one', () => {
      const { pool, workers, worker, events } = holding('never', []);
      expect(worker.calls).toEqual(['start r1', 'cancel r1']);
      vi.advanceTimersByTime(CANCEL_GRACE_MS - 1);
      expect(worker.terminated).toBe(false);
      expect(kinds(events, 'r1')).toEqual(['preparing']);
      vi.advanceTimersByTime(1);
      expect(worker.terminated).toBe(true);
      expect(kinds(events, 'r1')).toEqual(['preparing', 'cancelled']);
      expect(workers).toHaveLength(2);
      expect(workers[1]!.calls).toEqual(['start r2']);
      expect(pool.activeRunIds()).toEqual(['r2']);
    });

    it('compiling (the worker answers only after the grace period): terminated at the deadline, its late answer ignored', () => {
      const { workers, worker, events } = holding(CANCEL_GRACE_MS * 3, []);
      vi.advanceTimersByTime(CANCEL_GRACE_MS);
      expect(worker.terminated).toBe(true);
      expect(workers[1]!.calls).toEqual(['start r2']);
      vi.advanceTimersByTime(CANCEL_GRACE_MS * 3);
      expect(kinds(events, 'r1')).toEqual(['preparing', 'cancelled']);
      expect(workers).toHaveLength(2);
    });

    it('training (the worker answers at its next step): ends cancelled, and the same worker trains the next run', () => {
      const { workers, worker, events } = holding(0, [started('r1'), { kind: 'step', runId: 'r1', epoch: 0, step: 1, loss: 2, accuracy: 0.1, gradNorm: 1 }]);
      vi.advanceTimersByTime(0);
      expect(kinds(events, 'r1')).toEqual(['preparing', 'started', 'step', 'cancelled']);
      vi.advanceTimersByTime(CANCEL_GRACE_MS * 2);
      expect(worker.terminated).toBe(false);
      expect(workers).toHaveLength(1);
      expect(worker.calls).toEqual(['start r1', 'cancel r1', 'start r2']);
    });

    it('evaluating (the worker answers after its current evaluation batch, within the grace period): ends cancelled once, worker kept', () => {
      const epoch = { epoch: 0, lr: 1e-3, train: { loss: 1, accuracy: 0, microAccuracy: 0, perplexity: 1 }, test: { loss: 1, accuracy: 0, microAccuracy: 0, perplexity: 1 }, seconds: 1 };
      const { workers, worker, events } = holding(CANCEL_GRACE_MS / 2, [started('r1'), { kind: 'epoch', runId: 'r1', record: epoch }]);
      vi.advanceTimersByTime(CANCEL_GRACE_MS * 2);
      expect(kinds(events, 'r1')).toEqual(['preparing', 'started', 'epoch', 'cancelled']);
      expect(worker.terminated).toBe(false);
      expect(workers).toHaveLength(1);
      expect(worker.calls.at(-1)).toBe('start r2');
    });

    it('a worker that crashes while cancelling ends the run cancelled, not failed', () => {
      const { worker, workers, events } = holding('never', [started('r1')]);
      worker.hooks.onCrash('the worker was closed');
      expect(kinds(events, 'r1')).toEqual(['preparing', 'started', 'cancelled']);
      expect(workers[1]!.calls).toEqual(['start r2']);
      vi.advanceTimersByTime(CANCEL_GRACE_MS * 2);
      expect(workers).toHaveLength(2);
    });
  });

  it('dispose terminates every worker and forgets the queue', () => {
    const { pool, workers } = setup(2);
    for (const id of ['r1', 'r2', 'r3']) pool.submit(id, plan, DEFAULT_RUN_OPTIONS);
    pool.dispose();
    expect(workers.every((w) => w.terminated)).toBe(true);
    expect(pool.queuedRunIds()).toEqual([]);
    expect(pool.activeRunIds()).toEqual([]);
  });
});
