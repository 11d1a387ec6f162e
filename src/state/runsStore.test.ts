import { beforeEach, describe, expect, it } from 'vitest';
import { architectureFromLayers } from '../model/architecture.ts';
import { makeSetting } from '../tasks/settings.ts';
import { DEFAULT_TRAINING, type EpochRecord, type RunResult } from '../train/types.ts';
import { DEFAULT_RUN_OPTIONS, type StoredRun } from '../storage/runRecords.ts';
import { appendStepPoint, applyEvent, stepPosition, storedRunOf, useRunsStore, viewOfStoredRun, type RunView } from './runsStore.ts';

const metrics = { loss: 1, accuracy: 0.5, microAccuracy: 0.5, perplexity: Math.E };
const record = (epoch: number): EpochRecord => ({ epoch, lr: 1e-3, train: metrics, test: metrics, seconds: 1 });
const result: RunResult = {
  status: 'completed',
  bestEpoch: 3,
  row: { train_acc: 0.9, train_ppl: 1.1, train_loss: 0.1, test_acc: 0.8, test_ppl: 1.2, test_loss: 0.2 },
  epochs: [0, 1, 2, 3].map(record),
  microBatches: 1,
  seconds: 4,
};

function stored(overrides: Partial<StoredRun> = {}): StoredRun {
  return {
    runId: 'r1',
    plan: {
      architecture: architectureFromLayers(['mh-attention', 'swiglu'], { dim: 16 }),
      setting: makeSetting('memorization', { vocabSize: 8, seqLen: 8, numTrainExamples: 64, numTestExamples: 16 }),
      training: { ...DEFAULT_TRAINING, epochs: 4 },
    },
    options: DEFAULT_RUN_OPTIONS,
    sweepId: 's1',
    sweepKind: 'setting',
    label: 'memorization',
    createdAt: 1,
    status: 'queued',
    epochs: [],
    checkpointEpoch: null,
    result: null,
    failure: null,
    ...overrides,
  };
}

describe('stepPosition', () => {
  it('places AdamW step counts within their epoch, also after a resume', () => {
    expect(stepPosition({ epoch: 0, step: 1 }, 4)).toBe(0.25);
    expect(stepPosition({ epoch: 0, step: 4 }, 4)).toBe(1);
    expect(stepPosition({ epoch: 2, step: 10 }, 4)).toBe(2.5);
    expect(stepPosition({ epoch: 2, step: 10 }, null)).toBe(2);
  });
});

describe('appendStepPoint', () => {
  it('keeps every point up to the cap, then merges neighbours so the series still spans the run', () => {
    let series = [] as ReturnType<typeof appendStepPoint>;
    for (let i = 1; i <= 9; i++) series = appendStepPoint(series, { x: i, loss: i, accuracy: 0, gradNorm: 2 * i }, 8);
    expect(series.length).toBeLessThanOrEqual(8);
    expect(series[0]).toEqual({ x: 2, loss: 1.5, accuracy: 0, gradNorm: 3 });
    expect(series.at(-1)?.x).toBe(9);
  });
});

describe('applyEvent', () => {
  const view = (): RunView => viewOfStoredRun(stored(), false);

  it('follows a run from start to finish', () => {
    let v = applyEvent(view(), { kind: 'started', runId: 'r1', totalEpochs: 4, stepsPerEpoch: 2, microBatches: 1 }, 1000);
    expect(v).toMatchObject({ status: 'running', stepsPerEpoch: 2, clock: { since: 1000, positionAtSince: 0 } });
    v = applyEvent(v, { kind: 'step', runId: 'r1', epoch: 0, step: 1, loss: 2, accuracy: 0.1, gradNorm: 0.75 }, 1100);
    expect(v.steps).toEqual([{ x: 0.5, loss: 2, accuracy: 0.1, gradNorm: 0.75 }]);
    expect(v.position).toBe(0.5);
    v = applyEvent(v, { kind: 'epoch', runId: 'r1', record: record(0) }, 1200);
    v = applyEvent(v, { kind: 'checkpointed', runId: 'r1', epoch: 0 }, 1200);
    expect(v).toMatchObject({ position: 1, checkpointEpoch: 0 });
    v = applyEvent(v, { kind: 'paused', runId: 'r1' }, 1300);
    expect(v).toMatchObject({ status: 'paused', clock: null });
    v = applyEvent(v, { kind: 'continued', runId: 'r1' }, 1400);
    expect(v).toMatchObject({ status: 'running', clock: { since: 1400, positionAtSince: 1 } });
    v = applyEvent(v, { kind: 'finished', runId: 'r1', result }, 1500);
    expect(v).toMatchObject({ status: 'completed', result, position: 4, clock: null });
    expect(v.epochs).toHaveLength(4);
  });

  it('after a restore keeps the checkpoint’s records and continues; a start without one begins afresh', () => {
    const interrupted = viewOfStoredRun(stored({ status: 'running', epochs: [0, 1, 2].map(record), checkpointEpoch: 0 }), true);
    expect(interrupted.status).toBe('interrupted');
    expect(interrupted.position).toBe(3);

    const restored = applyEvent(interrupted, { kind: 'restored', runId: 'r1', fromEpoch: 1, epochs: [0, 1].map(record) }, 0);
    const continued = applyEvent(restored, { kind: 'started', runId: 'r1', totalEpochs: 4, stepsPerEpoch: 2, microBatches: 1 }, 0);
    expect(continued).toMatchObject({ status: 'running', position: 2, checkpointEpoch: 1, resumedFrom: 1, restorePending: false });
    expect(continued.epochs.map((r) => r.epoch)).toEqual([0, 1]);

    const restarted = applyEvent(interrupted, { kind: 'started', runId: 'r1', totalEpochs: 4, stepsPerEpoch: 2, microBatches: 1 }, 0);
    expect(restarted).toMatchObject({ position: 0, epochs: [], checkpointEpoch: null, resumedFrom: null });
  });

  it('keeps a run paused while its worker prepared it paused when training starts', () => {
    const paused = applyEvent(view(), { kind: 'paused', runId: 'r1' }, 0);
    expect(applyEvent(paused, { kind: 'started', runId: 'r1', totalEpochs: 4, stepsPerEpoch: 2, microBatches: 1 }, 0)).toMatchObject({ status: 'paused', clock: null });
  });

  it('marks a run preparing until training starts, and a new attempt forgets the last one’s storage notes', () => {
    const preparing = applyEvent({ ...view(), saveProblem: { what: 'checkpoint', epoch: 1, storageFull: true, reason: 'QuotaExceededError' }, checkpointUnused: { epoch: 0, reason: 'old' } }, { kind: 'preparing', runId: 'r1' }, 0);
    expect(preparing).toMatchObject({ status: 'queued', preparing: true, saveProblem: null, checkpointUnused: null });
    expect(applyEvent(preparing, { kind: 'started', runId: 'r1', totalEpochs: 4, stepsPerEpoch: 2, microBatches: 1 }, 0)).toMatchObject({ status: 'running', preparing: false });
    expect(applyEvent(preparing, { kind: 'cancelled', runId: 'r1' }, 0)).toMatchObject({ status: 'cancelled', preparing: false });
  });

  it('shows a failed checkpoint write until a later checkpoint is written; an unsaved model outlives the finish', () => {
    const full = { kind: 'save-failed', runId: 'r1', epoch: 1, storageFull: true, reason: 'QuotaExceededError' } as const;
    let v = applyEvent(view(), { ...full, what: 'checkpoint' }, 0);
    expect(v.saveProblem).toEqual({ what: 'checkpoint', epoch: 1, storageFull: true, reason: 'QuotaExceededError' });
    v = applyEvent(v, { kind: 'checkpointed', runId: 'r1', epoch: 2 }, 0);
    expect(v).toMatchObject({ saveProblem: null, checkpointEpoch: 2 });

    const checkpointPaused = applyEvent(view(), { ...full, what: 'checkpoint' }, 0);
    expect(applyEvent(checkpointPaused, { kind: 'finished', runId: 'r1', result }, 0).saveProblem).toBeNull();
    const modelUnsaved = applyEvent(checkpointPaused, { ...full, what: 'model', epoch: null }, 0);
    expect(applyEvent(modelUnsaved, { kind: 'finished', runId: 'r1', result }, 0)).toMatchObject({ status: 'completed', result, saveProblem: { what: 'model' } });
  });

  it('keeps why a stored checkpoint was not used', () => {
    const v = applyEvent(view(), { kind: 'checkpoint-unused', runId: 'r1', epoch: 2, reason: 'it was saved by a different run plan' }, 0);
    expect(v.checkpointUnused).toEqual({ epoch: 2, reason: 'it was saved by a different run plan' });
    expect(storedRunOf(v).checkpointUnused).toEqual(v.checkpointUnused);
  });

  it('records failures and cancellations', () => {
    expect(applyEvent(view(), { kind: 'failed', runId: 'r1', reason: 'The GPU device was lost.' }, 0)).toMatchObject({ status: 'failed', failure: 'The GPU device was lost.' });
    expect(applyEvent(view(), { kind: 'cancelled', runId: 'r1' }, 0).status).toBe('cancelled');
  });
});

describe('storedRunOf', () => {
  it('stores an interrupted run as running, so the next load restarts it again', () => {
    const view = viewOfStoredRun(stored({ status: 'running' }), true);
    expect(storedRunOf(view)).toEqual(stored({ status: 'running', preparing: false, saveProblem: null, checkpointUnused: null }));
  });

  it('reads runs stored by earlier versions, which lack the storage notes', () => {
    expect(viewOfStoredRun(stored(), false)).toMatchObject({ preparing: false, saveProblem: null, checkpointUnused: null });
  });
});

describe('useRunsStore', () => {
  beforeEach(() => useRunsStore.setState({ runs: {}, order: [], selectedRunId: null, hiddenArchitectures: [] }));

  it('lists the newest launch first with its runs in training order, and applies events by run id', () => {
    const store = useRunsStore.getState();
    store.runsLoaded([stored({ runId: 'old', sweepId: 's0', createdAt: 1 }), stored({ runId: 'newer', sweepId: 's1', createdAt: 2 })], new Set(['old']));
    expect(useRunsStore.getState().order).toEqual(['newer', 'old']);
    expect(useRunsStore.getState().runs.old?.status).toBe('interrupted');
    store.runsQueued([stored({ runId: 'a', sweepId: 's2', createdAt: 3 }), stored({ runId: 'b', sweepId: 's2', createdAt: 4 })]);
    expect(useRunsStore.getState().order).toEqual(['a', 'b', 'newer', 'old']);
    store.eventsReceived([{ kind: 'cancelled', runId: 'a' }, { kind: 'cancelled', runId: 'unknown' }], 0);
    expect(useRunsStore.getState().runs.a?.status).toBe('cancelled');
    store.eventsReceived([{ kind: 'failed', runId: 'b', reason: 'The worker stopped.' }], 0);
    store.runRequeued('b');
    expect(useRunsStore.getState().runs.b).toMatchObject({ status: 'queued', failure: null, clock: null });
    store.runRemoved('a');
    expect(useRunsStore.getState().order).toEqual(['b', 'newer', 'old']);
  });

  it('toggles architectures on the radar and clamps the smoothing weight', () => {
    const store = useRunsStore.getState();
    store.toggleArchitecture('x');
    expect(useRunsStore.getState().hiddenArchitectures).toEqual(['x']);
    store.toggleArchitecture('x');
    expect(useRunsStore.getState().hiddenArchitectures).toEqual([]);
    store.setChartSmoothing(1.5);
    expect(useRunsStore.getState().chartSmoothing).toBe(0.99);
  });
});
