// RunController over an in-memory store and fake workers: launching persists and queues runs
// (once per double click), worker events reach the runs store and are persisted, a reload
// restarts the interrupted runs but not one cut off before its first step, runs paused before a
// reload resume or cancel without a worker, Cancel ends a run whose worker never answers, and a
// failed or cancelled run keeps its checkpoint and continues from it.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runsStoreLedger } from '../state/runsLedger.ts';
import { useRunsStore } from '../state/runsStore.ts';
import { architectureFromLayers } from '../model/architecture.ts';
import { makeSetting } from '../tasks/settings.ts';
import { DEFAULT_TRAINING, type RunPlan, type RunResult } from '../train/types.ts';
import type { WorkerEvent } from '../worker/api.ts';
import { RunController, type LaunchRequest, type RunPersistence } from './runController.ts';
import { CANCEL_GRACE_MS, RunPool, type PoolWorker, type PoolWorkerHooks } from './runPool.ts';
import { CUT_OFF_BEFORE_FIRST_STEP, type StoredRun, type StoredSweep } from '../storage/runRecords.ts';

const plan: RunPlan = {
  architecture: architectureFromLayers(['mh-attention', 'swiglu'], { dim: 16 }),
  setting: makeSetting('memorization', { vocabSize: 8, seqLen: 8, numTrainExamples: 64, numTestExamples: 16 }),
  training: { ...DEFAULT_TRAINING, epochs: 3 },
};

const request: LaunchRequest = {
  kind: 'grid',
  label: 'Memorization grid',
  profile: null,
  runs: [
    { plan, label: 'first' },
    { plan, label: 'second' },
  ],
  options: { checkpointEvery: 1 },
};

const result: RunResult = {
  status: 'completed',
  bestEpoch: 2,
  row: { train_acc: 1, train_ppl: 1, train_loss: 0, test_acc: 0.9, test_ppl: 1, test_loss: 0 },
  epochs: [],
  microBatches: 1,
  seconds: 1,
};

class MemoryStore implements RunPersistence {
  readonly runs = new Map<string, StoredRun>();
  readonly sweeps = new Map<string, StoredSweep>();
  readonly deletedCheckpoints: string[] = [];
  async putRun(run: StoredRun) {
    this.runs.set(run.runId, structuredClone(run));
  }
  async listRuns() {
    return [...this.runs.values()];
  }
  async deleteRun(runId: string) {
    this.runs.delete(runId);
  }
  async deleteCheckpoint(runId: string) {
    this.deletedCheckpoints.push(runId);
  }
  async putSweep(sweep: StoredSweep) {
    this.sweeps.set(sweep.sweepId, sweep);
  }
}

/** `stuck`: the workers never answer a cancel (busy generating data). */
function setup(store = new MemoryStore(), { stuck = false } = {}) {
  const started: string[] = [];
  /** For each start, the index of the worker it went to. */
  const startedOn: number[] = [];
  const hooks: PoolWorkerHooks[] = [];
  const terminated: number[] = [];
  let controller: RunController | null = null;
  const pool = new RunPool({
    size: 1,
    createWorker: (workerHooks): PoolWorker => {
      const index = hooks.push(workerHooks) - 1;
      return {
        startRun: async (_plan, runId) => {
          started.push(runId);
          startedOn.push(index);
        },
        pause: () => {},
        resume: () => {},
        cancel: (runId) => (stuck ? undefined : workerHooks.onEvents([{ kind: 'cancelled', runId }])),
        terminate: () => terminated.push(index),
      };
    },
    onEvents: (batch) => controller?.onEvents(batch),
  });
  controller = new RunController(pool, store, runsStoreLedger);
  const play = (batch: WorkerEvent[]) => hooks.at(-1)!.onEvents(batch);
  return { controller, store, started, startedOn, play, terminated };
}

const runs = () => useRunsStore.getState().runs;

describe('RunController', () => {
  beforeEach(() => useRunsStore.setState({ runs: {}, order: [], sweeps: {}, selectedRunId: null }));
  afterEach(() => vi.useRealTimers());

  it('launches once when the same request comes twice before the first is stored (a double click)', async () => {
    const { controller, store, started } = setup();
    await Promise.all([controller.launch(request), controller.launch(request)]);
    expect(store.sweeps.size).toBe(1);
    expect(store.runs.size).toBe(2);
    expect(started).toHaveLength(1);
    // Once stored, the same request is a deliberate second launch.
    await controller.launch(request);
    expect(store.sweeps.size).toBe(2);
    expect(store.runs.size).toBe(4);
  });

  it('cancels a run whose worker never answers (stuck generating data): cancelled, stored so, the next run on a fresh worker', async () => {
    vi.useFakeTimers();
    const { controller, store, started, startedOn, terminated } = setup(new MemoryStore(), { stuck: true });
    await controller.launch(request);
    const [first, second] = [...store.runs.keys()];
    expect(runs()[first!]).toMatchObject({ status: 'queued', preparing: true });
    controller.cancel(first!);
    expect(runs()[first!]?.status).toBe('queued');
    await vi.advanceTimersByTimeAsync(CANCEL_GRACE_MS);
    expect(runs()[first!]).toMatchObject({ status: 'cancelled', preparing: false });
    expect(terminated).toEqual([0]);
    expect(started).toEqual([first, second]);
    expect(startedOn).toEqual([0, 1]);
    await vi.waitFor(() => expect(store.runs.get(first!)?.status).toBe('cancelled'));
  });

  it('on reload does not restart a run the page lost while preparing it: it is stored as failed with the reason', async () => {
    const first = setup();
    await first.controller.launch({ ...request, runs: [{ plan, label: 'huge' }] });
    const [a] = [...first.store.runs.keys()];
    await vi.waitFor(() => expect(first.store.runs.get(a!)).toMatchObject({ status: 'queued', preparing: true }));

    useRunsStore.setState({ runs: {}, order: [], sweeps: {} });
    const reloaded = setup(first.store);
    await reloaded.controller.restore();
    expect(reloaded.started).toEqual([]);
    expect(runs()[a!]).toMatchObject({ status: 'failed', failure: CUT_OFF_BEFORE_FIRST_STEP });
    await vi.waitFor(() => expect(first.store.runs.get(a!)).toMatchObject({ status: 'failed', preparing: false }));
  });

  it('keeps the checkpoint of a failed or cancelled run, and continues such a run under its own id', async () => {
    const { controller, store, started, play } = setup();
    await controller.launch(request);
    const [first, second] = [...store.runs.keys()];
    play([{ kind: 'started', runId: first!, totalEpochs: 3, stepsPerEpoch: 2, microBatches: 1 }]);
    play([{ kind: 'checkpointed', runId: first!, epoch: 0 }]);
    play([{ kind: 'failed', runId: first!, reason: 'The GPU device was lost.' }]);
    controller.cancel(second!);
    await vi.waitFor(() => expect(store.runs.get(second!)?.status).toBe('cancelled'));
    await vi.waitFor(() => expect(store.runs.get(first!)).toMatchObject({ status: 'failed', checkpointEpoch: 0 }));
    expect(store.deletedCheckpoints).toEqual([]);

    controller.restart(first!);
    expect(runs()[first!]).toMatchObject({ status: 'queued', failure: null });
    expect(started).toEqual([first, second, first]);
    play([{ kind: 'restored', runId: first!, fromEpoch: 0, epochs: [] }]);
    play([{ kind: 'started', runId: first!, totalEpochs: 3, stepsPerEpoch: 2, microBatches: 1 }]);
    expect(runs()[first!]).toMatchObject({ status: 'running', resumedFrom: 0, checkpointEpoch: 0 });
    // Only failed or cancelled runs continue.
    controller.restart(first!);
    expect(started).toHaveLength(3);
  });

  it('persists a launch, lists it and queues its runs in order', async () => {
    const { controller, store, started } = setup();
    await controller.launch(request);
    expect(store.sweeps.size).toBe(1);
    const sweep = [...store.sweeps.values()][0]!;
    expect(sweep).toMatchObject({ kind: 'grid', label: 'Memorization grid', runIds: [expect.any(String), expect.any(String)] });
    expect([...store.runs.values()].map((r) => [r.label, r.status])).toEqual([
      ['first', 'queued'],
      ['second', 'queued'],
    ]);
    expect(useRunsStore.getState().order).toEqual(sweep.runIds);
    expect(useRunsStore.getState().sweeps[sweep.sweepId]).toEqual(sweep);
    expect(started).toEqual([sweep.runIds[0]]);
  });

  it('applies worker events, persists all but steps, and drops the checkpoint once the run ended', async () => {
    const { controller, store, started, play } = setup();
    await controller.launch(request);
    const [first, second] = [...store.runs.keys()];
    play([{ kind: 'started', runId: first!, totalEpochs: 3, stepsPerEpoch: 2, microBatches: 1 }]);
    play([{ kind: 'step', runId: first!, epoch: 0, step: 1, loss: 2, accuracy: 0.1, gradNorm: 1 }]);
    await vi.waitFor(() => expect(store.runs.get(first!)?.status).toBe('running'));
    expect(runs()[first!]?.steps).toHaveLength(1);
    play([{ kind: 'finished', runId: first!, result }]);
    await vi.waitFor(() => expect(store.runs.get(first!)?.result).toEqual(result));
    await vi.waitFor(() => expect(store.deletedCheckpoints).toEqual([first]));
    expect(started).toEqual([first, second]);
  });

  it('on reload marks runs that were training as interrupted and restarts them before queued ones', async () => {
    const first = setup();
    await first.controller.launch(request);
    const [a, b] = [...first.store.runs.keys()];
    first.play([{ kind: 'started', runId: a!, totalEpochs: 3, stepsPerEpoch: 2, microBatches: 1 }]);
    await vi.waitFor(() => expect(first.store.runs.get(a!)?.status).toBe('running'));

    useRunsStore.setState({ runs: {}, order: [], sweeps: {} });
    const reloaded = setup(first.store);
    await reloaded.controller.restore();
    expect(runs()[a!]?.status).toBe('interrupted');
    expect(runs()[b!]?.status).toBe('queued');
    expect(reloaded.started).toEqual([a]);
  });

  it('resumes and cancels runs that were paused before a reload, without a worker holding them', async () => {
    const first = setup();
    await first.controller.launch({ ...request, runs: [{ plan, label: 'only' }] });
    const [a] = [...first.store.runs.keys()];
    first.play([{ kind: 'paused', runId: a! }]);
    await vi.waitFor(() => expect(first.store.runs.get(a!)?.status).toBe('paused'));

    useRunsStore.setState({ runs: {}, order: [], sweeps: {} });
    const reloaded = setup(first.store);
    await reloaded.controller.restore();
    expect(reloaded.started).toEqual([]);
    reloaded.controller.resume(a!);
    expect(reloaded.started).toEqual([a]);
    expect(runs()[a!]?.status).toBe('running');
    // The page's writes land before the next load.
    await vi.waitFor(() => expect(first.store.runs.get(a!)).toMatchObject({ status: 'running', preparing: true }));

    useRunsStore.setState({ runs: {}, order: [], sweeps: {} });
    first.store.runs.set(a!, { ...first.store.runs.get(a!)!, status: 'paused' });
    const again = setup(first.store);
    await again.controller.restore();
    again.controller.cancel(a!);
    expect(runs()[a!]?.status).toBe('cancelled');
    await vi.waitFor(() => expect(first.store.runs.get(a!)?.status).toBe('cancelled'));
    await again.controller.remove(a!);
    expect(first.store.runs.has(a!)).toBe(false);
    expect(useRunsStore.getState().order).toEqual([]);
  });
});
