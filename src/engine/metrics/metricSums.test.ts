import { describe, expect, it } from 'vitest';
import { itPassesKernelChecks } from '../testing/expectChecks.ts';
import { metricChecks } from './checks.ts';
import { METRIC_SUMS, addMetricSums, metricMeans, readMetricSums, zeroMetricSums } from './metricSums.ts';

describe('metric sums', () => {
  it('means are weighted by batch size and leave non-finite batches out', () => {
    const sums = readMetricSums([2 * 1 + 1 * 4, 2 * 0.5 + 1 * 1, 0, 0, 3, 10, 5, 1]);
    const means = metricMeans(sums);
    expect(means.loss).toBeCloseTo(2);
    expect(means.macroAccuracy).toBeCloseTo(2 / 3);
    expect(means.nonFiniteBatches).toBe(1);
    expect(Object.keys(sums)).toEqual([...METRIC_SUMS]);
  });
  it('sums of several reads add up to the means over all their batches', () => {
    // Read 1: batches of weight 128 and 128 (losses 1 and 2); read 2: a partial batch of 44 (loss 4).
    const first = readMetricSums([128 * 1 + 128 * 2, 0, 0, 0, 256, 0, 0, 0]);
    const second = readMetricSums([44 * 4, 0, 0, 0, 44, 0, 0, 0]);
    const epoch = metricMeans(addMetricSums(addMetricSums(zeroMetricSums(), first), second));
    expect(epoch.weight).toBe(300);
    expect(epoch.loss).toBeCloseTo((128 + 256 + 176) / 300, 12);
    expect(epoch.sums.weightedLoss).toBe(560);
  });
  itPassesKernelChecks(metricChecks);
});
