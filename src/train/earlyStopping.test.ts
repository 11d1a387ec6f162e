import { describe, expect, it } from 'vitest';
import { EarlyStopping } from './earlyStopping.ts';
import { DEFAULT_TRAINING } from './types.ts';

describe('early stopping (Lightning EarlyStopping as train.py sets it)', () => {
  it('stops when test accuracy is strictly above 0.999', () => {
    const e = new EarlyStopping(DEFAULT_TRAINING);
    expect(e.update(0.5)).toBeNull();
    expect(e.update(0.999)).toBeNull(); // equal is not above
    expect(e.update(0.9991)).toBe('threshold');
  });

  it('without --early-stop, patience is the epoch count: 199 epochs without improvement do not stop', () => {
    const e = new EarlyStopping(DEFAULT_TRAINING);
    expect(e.update(0.6)).toBeNull();
    const stops = Array.from({ length: 198 }, () => e.update(0.6));
    expect(stops.every((s) => s === null)).toBe(true);
    expect(e.state).toEqual({ bestAccuracy: 0.6, wait: 198 });
  });

  it('with --early-stop, stops after `stopPatience` epochs without a strictly better accuracy', () => {
    const e = new EarlyStopping({ ...DEFAULT_TRAINING, earlyStop: true, stopPatience: 3 });
    const reasons = [0.5, 0.6, 0.6, 0.55, 0.7, 0.7, 0.69, 0.7].map((a) => e.update(a));
    expect(reasons).toEqual([null, null, null, null, null, null, null, 'patience']);
    const resumed = new EarlyStopping({ ...DEFAULT_TRAINING, earlyStop: true, stopPatience: 3 }, { bestAccuracy: 0.7, wait: 2 });
    expect(resumed.update(0.1)).toBe('patience');
  });
});
