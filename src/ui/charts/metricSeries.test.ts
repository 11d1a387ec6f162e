import { describe, expect, it } from 'vitest';
import type { EpochRecord } from '../../train/types.ts';
import { metricSeries, valueRange } from './metricSeries.ts';

const split = (loss: number, accuracy: number) => ({ loss, accuracy, microAccuracy: accuracy, perplexity: Math.exp(loss) });
const epochs: EpochRecord[] = [
  { epoch: 0, lr: 1e-3, train: split(2, 0.1), test: split(1.8, 0), seconds: 1 },
  { epoch: 1, lr: 1e-3, train: split(1.5, 0.3), test: split(NaN, 0.4), seconds: 1 },
];
const steps = [
  { x: 0.5, loss: 2.2, accuracy: 0.05, gradNorm: 1.25 },
  { x: 1, loss: 1.8, accuracy: 0.15, gradNorm: 0.5 },
];

describe('metricSeries', () => {
  it('gives the step curve and the epoch means of both splits against epochs', () => {
    const [trainSteps, trainEpochs, testEpochs] = metricSeries({ steps, epochs }, 'loss', { smoothing: 0, logScale: false });
    expect(trainSteps).toEqual({ id: 'train-steps', label: 'train (steps)', points: [{ x: 0.5, y: 2.2 }, { x: 1, y: 1.8 }] });
    expect(trainEpochs?.points).toEqual([{ x: 1, y: 2 }, { x: 2, y: 1.5 }]);
    // A non-finite value (a diverging run) is left out rather than drawn.
    expect(testEpochs?.points).toEqual([{ x: 1, y: 1.8 }]);
  });

  it('gives the gradient norm as the step curve alone: no pass measures it', () => {
    expect(metricSeries({ steps, epochs }, 'gradNorm', { smoothing: 0, logScale: true })).toEqual([
      { id: 'train-steps', label: 'train (steps)', points: [{ x: 0.5, y: 1.25 }, { x: 1, y: 0.5 }] },
    ]);
  });

  it('smooths only the step curve, and drops values ≤ 0 on a log scale', () => {
    const [trainSteps, , testEpochs] = metricSeries({ steps, epochs }, 'accuracy', { smoothing: 0.5, logScale: true });
    expect(trainSteps?.points[1]?.y).toBeCloseTo((0.5 * 0.025 + 0.5 * 0.15) / 0.75, 12);
    expect(testEpochs?.points).toEqual([{ x: 2, y: 0.4 }]);
  });
});

describe('valueRange', () => {
  it('spans every point with a little room, [0, 1] for linear accuracy, nothing without points', () => {
    const series = metricSeries({ steps, epochs }, 'loss', { smoothing: 0, logScale: false });
    // Points span 1.5 … 2.2: a step of 0.1 rounds that out to 1.5 … 2.2 exactly.
    const [low, high] = valueRange(series, 'loss', false)!;
    expect(low).toBeCloseTo(1.5, 12);
    expect(high).toBeCloseTo(2.2, 12);
    const wider = valueRange([{ id: 'test-epochs', label: 't', points: [{ x: 1, y: 0.93 }, { x: 2, y: 3.1 }] }], 'loss', false)!;
    expect(wider[0]).toBeCloseTo(0.5, 12);
    expect(wider[1]).toBeCloseTo(3.5, 12);
    expect(valueRange(series, 'accuracy', false)).toEqual([0, 1]);
    const [logLow, logHigh] = valueRange(series, 'loss', true)!;
    expect(logLow).toBeCloseTo(1.5 / 1.1, 12);
    expect(logHigh).toBeCloseTo(2.2 * 1.1, 12);
    expect(valueRange([], 'loss', false)).toBeNull();
  });
});
