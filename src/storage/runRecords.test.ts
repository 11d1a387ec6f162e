import { describe, expect, it } from 'vitest';
import { architectureFromLayers } from '../model/architecture.ts';
import { makeSetting } from '../tasks/settings.ts';
import { DEFAULT_TRAINING, type EpochRecord } from '../train/types.ts';
import { CUT_OFF_BEFORE_FIRST_STEP, DEFAULT_RUN_OPTIONS, planRestore, recordsUpTo, type StoredRun, type StoredRunStatus } from './runRecords.ts';

function run(runId: string, status: StoredRunStatus, createdAt: number): StoredRun {
  return {
    runId,
    plan: {
      architecture: architectureFromLayers(['mh-attention', 'swiglu'], { dim: 16 }),
      setting: makeSetting('memorization', { vocabSize: 8, seqLen: 8, numTrainExamples: 64, numTestExamples: 16 }),
      training: DEFAULT_TRAINING,
    },
    options: DEFAULT_RUN_OPTIONS,
    sweepId: 's',
    sweepKind: 'setting',
    label: runId,
    createdAt,
    status,
    epochs: [],
    checkpointEpoch: null,
    result: null,
    failure: null,
  };
}

describe('planRestore', () => {
  it('restarts interrupted runs first, then queued ones, each oldest first; paused and ended runs stay', () => {
    const runs = [
      run('queued-late', 'queued', 50),
      run('done', 'completed', 1),
      run('running-late', 'running', 40),
      run('paused', 'paused', 5),
      run('queued-early', 'queued', 10),
      run('running-early', 'running', 20),
      run('failed', 'failed', 2),
      run('cancelled', 'cancelled', 3),
    ];
    const restore = planRestore(runs);
    expect(restore.restart.map((r) => r.runId)).toEqual(['running-early', 'running-late', 'queued-early', 'queued-late']);
    expect([...restore.interrupted].sort()).toEqual(['running-early', 'running-late']);
  });

  it('does not restart a run cut off before its first training step: it fails with the reason instead', () => {
    const metrics = { loss: 1, accuracy: 0, microAccuracy: 0, perplexity: 1 };
    const runs = [
      { ...run('stuck-preparing', 'queued', 1), preparing: true },
      { ...run('interrupted-preparing', 'running', 2), preparing: true },
      // Trained before (a checkpoint, an epoch): cut off while preparing to continue, it restarts.
      { ...run('continuing', 'running', 3), preparing: true, checkpointEpoch: 2 },
      { ...run('continuing-no-checkpoint', 'running', 4), preparing: true, epochs: [{ epoch: 0, lr: 1e-3, train: metrics, test: metrics, seconds: 1 }] },
      run('queued', 'queued', 5),
    ];
    const restore = planRestore(runs);
    expect(restore.restart.map((r) => r.runId)).toEqual(['continuing', 'continuing-no-checkpoint', 'queued']);
    expect(restore.cutOff.map((r) => [r.runId, r.status, r.preparing, r.failure])).toEqual([
      ['stuck-preparing', 'failed', false, CUT_OFF_BEFORE_FIRST_STEP],
      ['interrupted-preparing', 'failed', false, CUT_OFF_BEFORE_FIRST_STEP],
    ]);
    expect(restore.interrupted.has('interrupted-preparing')).toBe(false);
  });

  it('restarts nothing when every run ended', () => {
    expect(planRestore([run('a', 'diverged', 1), run('b', 'early-stopped', 2)]).restart).toEqual([]);
  });
});

describe('recordsUpTo', () => {
  it('keeps the epochs the checkpoint covers and drops the ones the resumed run repeats', () => {
    const metrics = { loss: 1, accuracy: 0, microAccuracy: 0, perplexity: 1 };
    const epochs: EpochRecord[] = [0, 1, 2, 3].map((epoch) => ({ epoch, lr: 1e-3, train: metrics, test: metrics, seconds: 1 }));
    expect(recordsUpTo(epochs, 1).map((e) => e.epoch)).toEqual([0, 1]);
    expect(recordsUpTo(epochs, 3)).toHaveLength(4);
  });
});
