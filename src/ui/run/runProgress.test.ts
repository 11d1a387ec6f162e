import { describe, expect, it } from 'vitest';
import { architectureFromLayers } from '../../model/architecture.ts';
import { makeSetting } from '../../tasks/settings.ts';
import { runsWorkload } from '../../train/protocolCompute.ts';
import { checkpointUnusedText, etaSeconds, formatDuration, progressFraction, remainingWorkload, restartLabel, saveProblemText, statusLabel, sweepProgress } from './runProgress.ts';

describe('progressFraction', () => {
  it('is the share of epochs done, and 1 once a result exists (early stop included)', () => {
    expect(progressFraction({ position: 2.5, totalEpochs: 10, result: null })).toBe(0.25);
    expect(progressFraction({ position: 3, totalEpochs: 10, result: {} as never })).toBe(1);
    expect(progressFraction({ position: 0, totalEpochs: 0, result: null })).toBe(0);
  });
});

describe('etaSeconds', () => {
  it('extrapolates the speed since training last (re)started', () => {
    // 2 epochs in 10 s since the clock started at epoch 4: 4 epochs left take 20 s.
    expect(etaSeconds({ position: 6, totalEpochs: 10, clock: { since: 0, positionAtSince: 4 } }, 10_000)).toBeCloseTo(20, 9);
  });

  it('is unknown while paused or before any progress', () => {
    expect(etaSeconds({ position: 6, totalEpochs: 10, clock: null }, 10_000)).toBeNull();
    expect(etaSeconds({ position: 4, totalEpochs: 10, clock: { since: 0, positionAtSince: 4 } }, 10_000)).toBeNull();
  });
});

describe('formatDuration', () => {
  it('reads as seconds, minutes or hours', () => {
    expect(formatDuration(44.6)).toBe('45 s');
    expect(formatDuration(125)).toBe('2 min');
    expect(formatDuration(3 * 3600 + 5 * 60)).toBe('3 h 05 min');
  });
});

describe('sweepProgress', () => {
  it('counts finished runs apart from failed and cancelled ones, over the runs still listed', () => {
    const runs = {
      a: { status: 'completed' as const },
      b: { status: 'early-stopped' as const },
      c: { status: 'failed' as const },
      d: { status: 'interrupted' as const },
      e: { status: 'queued' as const },
    };
    expect(sweepProgress({ runIds: ['a', 'b', 'c', 'd', 'e', 'removed'] }, runs)).toEqual({ total: 5, finished: 2, stopped: 1, fraction: 0.6 });
    expect(sweepProgress({ runIds: [] }, runs).fraction).toBe(0);
  });
});

describe('run list wording', () => {
  it('says when a queued run is being prepared', () => {
    expect(statusLabel({ status: 'queued', preparing: false })).toBe('queued');
    expect(statusLabel({ status: 'queued', preparing: true })).toBe('preparing data and model');
    expect(statusLabel({ status: 'interrupted', preparing: true })).toBe('interrupted, resuming');
  });

  it('counts epochs from 1: a checkpoint after (0-based) epoch 2 was saved after epoch 3 and continues from epoch 4', () => {
    expect(restartLabel({ checkpointEpoch: 2 })).toBe('Continue from epoch 4');
    expect(restartLabel({ checkpointEpoch: null })).toBe('Start again');
    expect(checkpointUnusedText({ epoch: 2, reason: 'it was saved by a different run plan' })).toBe(
      'The checkpoint saved after epoch 3 was not used: it was saved by a different run plan; training started again from epoch 1.',
    );
  });

  it('says what a failed write costs and what to do about full storage', () => {
    const full = { storageFull: true, reason: 'QuotaExceededError' };
    expect(saveProblemText({ ...full, what: 'checkpoint', epoch: 1 })).toBe(
      'Checkpoints paused: storage is full (QuotaExceededError), so the checkpoint after epoch 2 was not saved. Training goes on and saves again at the next checkpoint; free disk space or remove old runs to make room.',
    );
    expect(saveProblemText({ ...full, what: 'model', epoch: null })).toMatch(/^Predictions unavailable: storage is full .*results are kept\. Free disk space or remove old runs/);
    expect(saveProblemText({ what: 'checkpoint', epoch: 4, storageFull: false, reason: 'UnknownError' })).toBe(
      'Checkpoints paused: the checkpoint after epoch 5 could not be saved (UnknownError). Training goes on and tries again at the next checkpoint.',
    );
  });
});

describe('remainingWorkload', () => {
  it("is the plan's workload for the epochs not yet done", () => {
    const plan = {
      architecture: architectureFromLayers(['mlp'], { dim: 16 }),
      setting: makeSetting('memorization', { vocabSize: 16, seqLen: 8, numTrainExamples: 64, numTestExamples: 16 }),
      training: { epochs: 4, batchSize: 16, lr: 0.01, weightDecay: 0, seed: 0 },
    } as Parameters<typeof remainingWorkload>[0]['plan'];
    const whole = runsWorkload([plan]);
    expect(whole.steps).toBe(16);
    expect(remainingWorkload({ runId: 'queued', plan, position: 0, totalEpochs: 4, result: null })).toEqual(whole);
    const half = remainingWorkload({ runId: 'half', plan, position: 2, totalEpochs: 4, result: null });
    expect(half.flops).toBeCloseTo(whole.flops / 2, 6);
    expect(half.steps).toBe(8);
  });
});
