import { describe, expect, it } from 'vitest';
import { itPassesKernelChecks } from '../testing/expectChecks.ts';
import { metricChecks } from './checks.ts';
import { METRIC_SUMS, metricMeans, readMetricSums } from './metricSums.ts';

describe('metric sums', () => {
  it('means are weighted by batch size and leave non-finite batches out', () => {
    const sums = readMetricSums([2 * 1 + 1 * 4, 2 * 0.5 + 1 * 1, 0, 0, 3, 10, 5, 1]);
    const means = metricMeans(sums);
    expect(means.loss).toBeCloseTo(2);
    expect(means.macroAccuracy).toBeCloseTo(2 / 3);
    expect(means.nonFiniteBatches).toBe(1);
    expect(Object.keys(sums)).toEqual([...METRIC_SUMS]);
  });
  itPassesKernelChecks(metricChecks);
});
