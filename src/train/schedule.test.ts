import { describe, expect, it } from 'vitest';
import { LearningRateSchedule, scheduleProblem } from './schedule.ts';
import { DEFAULT_TRAINING } from './types.ts';

describe('learning-rate schedule (per epoch, no warm-up)', () => {
  it('cosine: η_min + (lr₀ − η_min)(1 + cos(π e / T_max)) / 2 with T_max = epochs', () => {
    const s = LearningRateSchedule.start({ ...DEFAULT_TRAINING, lr: 1e-3, minLr: 1e-6, epochs: 4, scheduler: 'cosine' });
    const lrs = [0, 1, 2, 3].map((e) => s.lrAt(e));
    console.log(`cosine lr₀ 1e-3, η_min 1e-6, 4 epochs: ${lrs.map((x) => x.toExponential(6)).join(' ')}`);
    expect(lrs[0]).toBe(1e-3);
    expect(lrs[1]).toBeCloseTo(1e-6 + (1e-3 - 1e-6) * (1 + Math.SQRT1_2) / 2, 15);
    expect(lrs[2]).toBeCloseTo(1e-6 + (1e-3 - 1e-6) / 2, 15);
    expect(lrs[3]).toBeCloseTo(1e-6 + (1e-3 - 1e-6) * (1 - Math.SQRT1_2) / 2, 15);
    // MAD's 200 epochs: the last epoch's lr is just above η_min; never below it.
    const mad = LearningRateSchedule.start({ ...DEFAULT_TRAINING, lr: 5e-4 });
    expect(mad.lrAt(100)).toBeCloseTo(1e-6 + (5e-4 - 1e-6) / 2, 15);
    expect(mad.lrAt(199)).toBeGreaterThan(1e-6);
    expect(mad.lrAt(199)).toBeLessThan(1.2e-6);
    mad.endEpoch(Number.NaN); // cosine ignores the loss
    expect(mad.lrAt(0)).toBe(5e-4);
  });

  it('none: lr₀ every epoch', () => {
    const s = LearningRateSchedule.start({ ...DEFAULT_TRAINING, lr: 1e-4, scheduler: 'none' });
    expect([0, 7, 199].map((e) => s.lrAt(e))).toEqual([1e-4, 1e-4, 1e-4]);
  });

  it('plateau: ×factor after more than `patience` epochs without a relative 1e-4 improvement, not below min lr', () => {
    const h = { ...DEFAULT_TRAINING, lr: 1e-3, scheduler: 'plateau' as const, plateauPatience: 2, plateauFactor: 0.5, minLr: 3e-4 };
    const s = LearningRateSchedule.start(h);
    // 1.0 best; 0.99995 is within the threshold (not better); then bad epochs until a reduction.
    const losses = [1, 0.99995, 1.2, 1.1, 0.5, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6];
    const lrs: number[] = [];
    for (const loss of losses) {
      s.endEpoch(loss);
      lrs.push(s.lrAt(0));
    }
    console.log(`plateau lr after each epoch: ${lrs.join(' ')}`);
    expect(lrs).toEqual([1e-3, 1e-3, 1e-3, 5e-4, 5e-4, 5e-4, 5e-4, 3e-4, 3e-4, 3e-4, 3e-4, 3e-4, 3e-4]);
    // NaN is never an improvement.
    const n = LearningRateSchedule.start({ ...h, plateauPatience: 0 });
    n.endEpoch(Number.NaN);
    expect(n.lrAt(0)).toBe(5e-4);
  });

  it('plateau state survives a checkpoint round trip', () => {
    const h = { ...DEFAULT_TRAINING, lr: 1e-3, scheduler: 'plateau' as const, plateauPatience: 1, plateauFactor: 0.5 };
    const a = LearningRateSchedule.start(h);
    a.endEpoch(1);
    a.endEpoch(2);
    const b = LearningRateSchedule.resume(h, structuredClone(a.state));
    a.endEpoch(3);
    b.endEpoch(3);
    expect(b.lrAt(0)).toBe(a.lrAt(0));
    expect(b.lrAt(0)).toBe(5e-4);
    expect(() => LearningRateSchedule.resume({ ...h, scheduler: 'cosine' }, a.state)).toThrow(/schedule/);
  });

  it('refuses a cosine floor above the starting rate, which would raise the rate every epoch; plateau never raises it', () => {
    const raising = { ...DEFAULT_TRAINING, lr: 1e-4, minLr: 1e-3, scheduler: 'cosine' as const };
    const message = 'the learning-rate floor minLr 0.001 is above the starting lr 0.0001, so the cosine schedule would raise the rate: use a minLr of at most 0.0001';
    expect(scheduleProblem(raising)).toBe(message);
    expect(() => LearningRateSchedule.start(raising)).toThrow(message);
    expect(() => LearningRateSchedule.resume(raising, { kind: 'cosine' })).toThrow(message);
    expect(scheduleProblem({ ...raising, minLr: 1e-4 })).toBeUndefined();
    const plateau = LearningRateSchedule.start({ ...raising, scheduler: 'plateau', plateauPatience: 0 });
    for (let e = 0; e < 5; e++) plateau.endEpoch(1);
    expect(plateau.lrAt(5)).toBe(1e-4);
  });
});
