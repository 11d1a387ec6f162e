// The speed fit on synthetic timings: it recovers a known rate and overhead exactly, and stays
// finite and positive where noise bends the line.
import { describe, expect, it } from 'vitest';
import { fitStepSpeed } from './adapterSpeedFit.ts';

describe('fitStepSpeed', () => {
  it('recovers the rate and overhead of t = overhead + flops / rate from two batch sizes', () => {
    // 2 GFLOP/s and 5 ms per step: 1 GFLOP takes 0.505 s, 2 GFLOP 1.005 s.
    const fit = fitStepSpeed([
      { flops: 1e9, seconds: 0.505 },
      { flops: 2e9, seconds: 1.005 },
    ]);
    expect(fit.flopsPerSecond).toBeCloseTo(2e9, -3);
    expect(fit.stepOverheadSeconds).toBeCloseTo(0.005, 12);
  });

  it('is the least-squares line over more sizes', () => {
    // Points on t = 0.01 + f / 1e10, with ±1 ms noise that cancels in the fit.
    const fit = fitStepSpeed([
      { flops: 1e8, seconds: 0.02 + 0.001 },
      { flops: 2e8, seconds: 0.03 - 0.002 },
      { flops: 3e8, seconds: 0.04 + 0.001 },
    ]);
    expect(fit.flopsPerSecond).toBeCloseTo(1e10, -3);
    expect(fit.stepOverheadSeconds).toBeCloseTo(0.01, 12);
  });

  it('reads a negative intercept as all compute (through the origin)', () => {
    // 0.09 s and 0.21 s for 1 and 2 GFLOP: the line would cross zero at -0.03 s.
    const fit = fitStepSpeed([
      { flops: 1e9, seconds: 0.09 },
      { flops: 2e9, seconds: 0.21 },
    ]);
    expect(fit.stepOverheadSeconds).toBe(0);
    // Σ f·t / Σ f² = (0.09 + 0.42) / 5 s per GFLOP.
    expect(fit.flopsPerSecond).toBeCloseTo(5e9 / 0.51, -3);
  });

  it('reads a time that did not grow as the best throughput seen', () => {
    const fit = fitStepSpeed([
      { flops: 1e9, seconds: 0.3 },
      { flops: 2e9, seconds: 0.25 },
    ]);
    expect(fit).toEqual({ flopsPerSecond: 8e9, stepOverheadSeconds: 0 });
  });

  it('refuses one size only and non-positive figures', () => {
    expect(() => fitStepSpeed([{ flops: 1e9, seconds: 0.1 }, { flops: 1e9, seconds: 0.2 }])).toThrow(/at least two sizes/);
    expect(() => fitStepSpeed([{ flops: 1e9, seconds: 0 }, { flops: 2e9, seconds: 0.2 }])).toThrow(/positive, finite/);
  });
});
