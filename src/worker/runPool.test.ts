import { describe, expect, it } from 'vitest';
import { architectureFromLayers } from '../model/architecture.ts';
import { makeSetting } from '../tasks/settings.ts';
import { DEFAULT_TRAINING, type RunPlan, type RunResult } from '../train/types.ts';
import type { WorkerEvent } from './api.ts';
import { DEFAULT_RUN_OPTIONS } from './runRecords.ts';
import { RunPool, type PoolWorker, type PoolWorkerHooks } from './runPool.ts';

const plan: RunPlan = {
  architecture: architectureFromLayers(['mh-attention', 'swiglu'], { dim: 16 }),
  setting: makeSetting('memorization', { vocabSize: 8, seqLen: 8, numTrainExamples: 64, numTestExamples: 16 }),
  training: { ...DEFAULT_TRAINING, epochs: 2 },
};

/** A worker that records calls and lets the test play its events. */
class FakeWorker implements PoolWorker {
  readonly calls: string[] = [];
  terminated = false;
  rejectNextStart: Error | null = null;

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

describe('RunPool', () => {
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
    expect(events.map((e) => e.kind)).toEqual(['started', 'checkpointed', 'cancelled']);
    expect(pool.activeRunIds()).toEqual(['r2']);
  });

  it('routes pause, resume and cancel to the worker holding the run; cancelling a queued run needs no worker', () => {
    const { pool, workers, events } = setup(1);
    pool.submit('r1', plan, DEFAULT_RUN_OPTIONS);
    pool.submit('r2', plan, DEFAULT_RUN_OPTIONS);
    pool.pause('r1');
    pool.resume('r1');
    pool.cancel('r2');
    pool.cancel('r1');
    expect(workers[0].calls).toEqual(['start r1', 'pause r1', 'resume r1', 'cancel r1']);
    expect(events).toEqual([{ kind: 'cancelled', runId: 'r2' }]);
    expect(pool.queuedRunIds()).toEqual([]);
  });

  it('fails only the crashed worker’s run, replaces that worker and goes on with the queue', () => {
    const { pool, workers, events } = setup(2);
    for (const id of ['r1', 'r2', 'r3']) pool.submit(id, plan, DEFAULT_RUN_OPTIONS);
    workers[0].hooks.onCrash('out of memory');
    expect(workers[0].terminated).toBe(true);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'failed', runId: 'r1' });
    expect(events[0].kind === 'failed' && events[0].reason).toMatch(/out of memory/);
    expect(workers).toHaveLength(3);
    expect(workers[2].calls).toEqual(['start r3']);
    expect(workers[1].terminated).toBe(false);
    expect(pool.activeRunIds().sort()).toEqual(['r2', 'r3']);

    // A late message from the dropped worker changes nothing.
    workers[0].finish('r1');
    expect(events).toHaveLength(1);
  });

  it('fails a run whose start the worker rejects, keeping the worker for the next run', async () => {
    const { pool, workers, events } = setup(1);
    pool.submit('r0', plan, DEFAULT_RUN_OPTIONS);
    workers[0].finish('r0');
    workers[0].rejectNextStart = new Error('the plan is invalid');
    pool.submit('r1', plan, DEFAULT_RUN_OPTIONS);
    pool.submit('r2', plan, DEFAULT_RUN_OPTIONS);
    await settle();
    expect(events.at(-1)).toMatchObject({ kind: 'failed', runId: 'r1' });
    expect(events.at(-1)?.kind === 'failed' && events.at(-1)).toMatchObject({ reason: expect.stringMatching(/the plan is invalid/) });
    expect(workers).toHaveLength(1);
    expect(workers[0].calls.at(-1)).toBe('start r2');
  });

  it('refuses a run id it already holds and a size below one', () => {
    const { pool } = setup(1);
    pool.submit('r1', plan, DEFAULT_RUN_OPTIONS);
    expect(() => pool.submit('r1', plan, DEFAULT_RUN_OPTIONS)).toThrow(/already/);
    expect(() => setup(0)).toThrow(/at least one worker/);
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
