import { describe, expect, it } from 'vitest';
import { etaSeconds, formatDuration, progressFraction, sweepProgress } from './runProgress.ts';

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
