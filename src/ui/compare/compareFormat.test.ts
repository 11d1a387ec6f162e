import { describe, expect, it } from 'vitest';
import { formatCount, logAxis } from './compareFormat.ts';

describe('formatCount', () => {
  it('shortens with K, M, G to three significant digits', () => {
    expect([formatCount(512), formatCount(6_528), formatCount(433_152), formatCount(2.5e9), formatCount(0.25)]).toEqual(['512', '6.53K', '433K', '2.5G', '0.25']);
  });
});

describe('logAxis', () => {
  it('a narrow range: 1-2-5 ticks in order around it', () => {
    expect(logAxis(512, 1024)).toEqual({ domain: [500, 2000], ticks: [500, 1000, 2000] });
  });
  it('a wide range: powers of ten (and the ends), increasing', () => {
    const { domain, ticks } = logAxis(6_528, 520_000);
    expect(domain).toEqual([5000, 1_000_000]);
    expect(ticks).toEqual([...ticks].sort((a, b) => a - b));
    expect(ticks.length).toBeLessThanOrEqual(8);
    expect(ticks).toContain(10_000);
  });
});
