import { describe, expect, it } from 'vitest';
import { architectureFromLayers } from '../model/architecture.ts';
import { makeSetting } from '../tasks/settings.ts';
import { DEFAULT_TRAINING, type RunPlan } from '../train/types.ts';
import {
  CHECKPOINT_FORMAT,
  CHECKPOINT_SECONDS,
  CheckpointSchedule,
  checkpointRecord,
  compactTypedArrays,
  planKey,
  usableCheckpoint,
} from './checkpointRecord.ts';

const plan: RunPlan = {
  architecture: architectureFromLayers(['mh-attention', 'swiglu'], { dim: 16 }),
  setting: makeSetting('memorization', { vocabSize: 8, seqLen: 8, numTrainExamples: 64, numTestExamples: 16 }),
  training: { ...DEFAULT_TRAINING, epochs: 6 },
};

describe('CheckpointSchedule', () => {
  it('is due every `every` epochs when epochs are short', () => {
    const schedule = new CheckpointSchedule(3);
    expect([1, 1, 1, 1, 1, 1, 1].map((s) => schedule.epochEnded(s))).toEqual([false, false, true, false, false, true, false]);
  });

  it('is due after CHECKPOINT_SECONDS of training when that comes first', () => {
    const schedule = new CheckpointSchedule(10);
    const third = CHECKPOINT_SECONDS / 3;
    expect([third, third, third + 0.1, 1, CHECKPOINT_SECONDS].map((s) => schedule.epochEnded(s))).toEqual([false, false, true, false, true]);
  });

  it('refuses an interval below one epoch', () => {
    expect(() => new CheckpointSchedule(0)).toThrow(/≥ 1/);
  });
});

describe('planKey', () => {
  it('is the same for equal plans whatever the key order, and differs when anything changes', () => {
    const reordered: RunPlan = { training: { ...plan.training }, setting: { ...plan.setting }, architecture: { ...plan.architecture } };
    expect(planKey(reordered)).toBe(planKey(plan));
    expect(planKey({ ...plan, training: { ...plan.training, lr: 1e-3 } })).not.toBe(planKey(plan));
    expect(planKey({ ...plan, setting: { ...plan.setting, seed: 1 } })).not.toBe(planKey(plan));
  });
});

describe('checkpoint records', () => {
  it('store typed arrays that own exactly their bytes, and survive structured clone intact', () => {
    const staging = new Float32Array(1024).map((_, i) => i);
    const checkpoint = {
      epoch: 2,
      params: [staging.subarray(0, 4), staging.subarray(100, 103)],
      optimizer: { step: 7, m: staging.subarray(8, 10), v: new Float64Array([0.5, 0.25]) },
      order: new Int32Array([3, 1, 2]),
      history: [{ loss: 1.5 }],
    };
    const record = checkpointRecord('run-1', plan, 2, checkpoint, 1234);
    expect(record.checkpoint.params[0].buffer.byteLength).toBe(16);
    expect(record.checkpoint.params[1].buffer.byteLength).toBe(12);
    expect(record.checkpoint.optimizer.m.buffer.byteLength).toBe(8);

    const cloned = structuredClone(record);
    expect(cloned.format).toBe(CHECKPOINT_FORMAT);
    expect(cloned.checkpoint.params[1]).toBeInstanceOf(Float32Array);
    expect(Array.from(cloned.checkpoint.params[1])).toEqual([100, 101, 102]);
    expect(Array.from(cloned.checkpoint.optimizer.m)).toEqual([8, 9]);
    expect(cloned.checkpoint.optimizer.v).toBeInstanceOf(Float64Array);
    expect(Array.from(cloned.checkpoint.order)).toEqual([3, 1, 2]);
    expect(cloned.checkpoint.history).toEqual([{ loss: 1.5 }]);
    // The original is untouched (the record holds copies).
    staging[100] = -1;
    expect(record.checkpoint.params[1][0]).toBe(100);
  });

  it('compactTypedArrays leaves plain values as they are', () => {
    expect(compactTypedArrays({ a: 1, b: 'x', c: null, d: [true, 2] })).toEqual({ a: 1, b: 'x', c: null, d: [true, 2] });
  });
});

describe('usableCheckpoint (the resume decision)', () => {
  const stored = checkpointRecord('run-1', plan, 2, { weights: new Float32Array([1, 2]) }, 0);

  it('resumes from a checkpoint of the same plan and format', () => {
    const verdict = usableCheckpoint(stored, plan);
    expect(verdict.usable).toBe(true);
    if (verdict.usable) {
      expect(verdict.epoch).toBe(2);
      expect(Array.from(verdict.checkpoint.weights)).toEqual([1, 2]);
    }
  });

  it('starts from scratch without a checkpoint, with another plan, another format, or one past the last epoch', () => {
    expect(usableCheckpoint(undefined, plan)).toEqual({ usable: false, reason: expect.stringMatching(/no checkpoint/) });
    expect(usableCheckpoint(stored, { ...plan, training: { ...plan.training, seed: 7 } })).toMatchObject({ usable: false, reason: expect.stringMatching(/different plan/) });
    expect(usableCheckpoint({ ...stored, format: CHECKPOINT_FORMAT + 1 }, plan)).toMatchObject({ usable: false, reason: expect.stringMatching(/format/) });
    expect(usableCheckpoint({ ...stored, epoch: 5 }, plan)).toMatchObject({ usable: false, reason: expect.stringMatching(/last epoch/) });
  });
});
