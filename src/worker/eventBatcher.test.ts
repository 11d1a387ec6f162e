import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EpochRecord } from '../train/types.ts';
import type { WorkerEvent } from './api.ts';
import { EventBatcher } from './eventBatcher.ts';

const step = (runId: string, epoch: number, stepNumber: number, loss: number, accuracy = 0.5): WorkerEvent => ({
  kind: 'step',
  runId,
  epoch,
  step: stepNumber,
  loss,
  accuracy,
  gradNorm: 1,
});

const metrics = { loss: 1, accuracy: 0.5, microAccuracy: 0.5, perplexity: Math.E };
const record: EpochRecord = { epoch: 0, lr: 1e-3, train: metrics, test: metrics, seconds: 1 };

describe('EventBatcher', () => {
  let batches: WorkerEvent[][];
  let batcher: EventBatcher;

  beforeEach(() => {
    vi.useFakeTimers();
    batches = [];
    batcher = new EventBatcher((batch) => batches.push(batch), 100);
  });
  afterEach(() => vi.useRealTimers());

  it('merges the steps of one run and epoch into one event with mean metrics, sent after the interval', () => {
    batcher.push(step('a', 0, 1, 2.0, 0.2));
    batcher.push(step('a', 0, 2, 1.0, 0.4));
    batcher.push(step('a', 0, 3, 0.0, 0.6));
    expect(batches).toHaveLength(0);
    vi.advanceTimersByTime(99);
    expect(batches).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(batches).toHaveLength(1);
    expect(batches[0]).toHaveLength(1);
    const merged = batches[0][0];
    expect(merged).toMatchObject({ kind: 'step', runId: 'a', epoch: 0, step: 3 });
    if (merged.kind !== 'step') throw new Error('expected a step event');
    expect(merged.loss).toBeCloseTo(1.0, 12);
    expect(merged.accuracy).toBeCloseTo(0.4, 12);
  });

  it('sends at most one message per interval however many steps arrive', () => {
    for (let i = 0; i < 1000; i++) {
      batcher.push(step('a', Math.floor(i / 100), i, 1));
      vi.advanceTimersByTime(1);
    }
    vi.advanceTimersByTime(100);
    // 1000 ms of steps plus the final flush: eleven messages at most, ten merged steps in each.
    expect(batches.length).toBeLessThanOrEqual(11);
    expect(batches.flat().filter((e) => e.kind === 'step')).toHaveLength(batches.flat().length);
    expect(batches.flat().length).toBeLessThan(40);
  });

  it('sends lifecycle events at once, after the metrics that came before them, in order', () => {
    batcher.push(step('a', 0, 1, 1));
    batcher.push({ kind: 'epoch', runId: 'a', record });
    batcher.push(step('a', 1, 2, 1));
    batcher.push({ kind: 'checkpointed', runId: 'a', epoch: 0 });
    expect(batches).toHaveLength(1);
    expect(batches[0].map((e) => e.kind)).toEqual(['step', 'epoch', 'step', 'checkpointed']);
    vi.advanceTimersByTime(1000);
    expect(batches).toHaveLength(1);
  });

  it('keeps steps of different runs and epochs apart', () => {
    batcher.push(step('a', 0, 1, 1));
    batcher.push(step('b', 0, 1, 2));
    batcher.push(step('b', 1, 2, 3));
    batcher.flush();
    expect(batches[0].map((e) => (e.kind === 'step' ? `${e.runId}${e.epoch}` : e.kind))).toEqual(['a0', 'b0', 'b1']);
  });

  it('flush with nothing pending sends nothing', () => {
    batcher.flush();
    expect(batches).toHaveLength(0);
  });
});
