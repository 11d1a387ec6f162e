import { describe, expect, it } from 'vitest';
import { addWorkloads, estimateText, formatDuration, NOT_MEASURED_TEXT, trainingSeconds } from './trainingTime.ts';

describe('trainingSeconds', () => {
  it('is steps · overhead + FLOPs / rate on a measured speed', () => {
    // 400 steps at 5 ms and 1 TFLOP at 100 GFLOP/s: 2 s + 10 s.
    expect(trainingSeconds({ flops: 1e12, steps: 400 }, { flopsPerSecond: 1e11, stepOverheadSeconds: 0.005 })).toBeCloseTo(12, 12);
  });

  it('gives no number without a measurement', () => {
    expect(trainingSeconds({ flops: 1e12, steps: 400 }, null)).toBeNull();
    expect(estimateText({ flops: 1e12, steps: 400 }, null)).toBe(NOT_MEASURED_TEXT);
  });

  it('words a measured estimate', () => {
    expect(estimateText({ flops: 1e12, steps: 400 }, { flopsPerSecond: 1e11, stepOverheadSeconds: 0.005 })).toBe('≈ 12 s on this adapter (measured)');
    expect(estimateText({ flops: 3.6e15, steps: 0 }, { flopsPerSecond: 1e12, stepOverheadSeconds: 0 })).toBe('≈ 1 h 00 min on this adapter (measured)');
    expect(formatDuration(125)).toBe('2 min');
  });

  it('adds workloads', () => {
    expect(addWorkloads([{ flops: 1, steps: 2 }, { flops: 3, steps: 4 }])).toEqual({ flops: 4, steps: 6 });
    expect(addWorkloads([])).toEqual({ flops: 0, steps: 0 });
  });
});
