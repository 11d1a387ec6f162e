import { describe, expect, it } from 'vitest';
import type { GpuCheckReport } from '../../worker/gpuCheckApi.ts';
import { gateEstimateText, MEASURING_TEXT } from './adapterEstimate.ts';

const work = { flops: 2e12, steps: 1000 };
const speed = { flopsPerSecond: 1e11, stepOverheadSeconds: 0.01, reference: 'test', measuredAt: '2025-01-01T00:00:00Z' };

describe('gateEstimateText', () => {
  it('says measuring while the gate runs or times the speed, the measured time once it has, and not measured yet otherwise', () => {
    expect(gateEstimateText(work, { status: 'unchecked' })).toBe(MEASURING_TEXT);
    expect(gateEstimateText(work, { status: 'checking', done: 1, total: 10 })).toBe(MEASURING_TEXT);
    // Passed, the speed still being timed after the verdict.
    expect(gateEstimateText(work, { status: 'passed', report: { speed: null } as GpuCheckReport, measuringSpeed: true })).toBe(MEASURING_TEXT);
    // 1000 · 10 ms + 2 TFLOP at 100 GFLOP/s = 30 s.
    expect(gateEstimateText(work, { status: 'passed', report: { speed } as GpuCheckReport })).toBe('≈ 30 s on this adapter (measured)');
    expect(gateEstimateText(work, { status: 'passed', report: { speed: null } as GpuCheckReport })).toBe('not measured yet');
    expect(gateEstimateText(work, { status: 'error', message: 'no GPU' })).toBe('not measured yet');
  });
});
