// The pure parts of `npm run bench -- step`: flags, the ours ÷ PyTorch rows and the tables. No timing.

import { describe, expect, it } from 'vitest';
import { compare, parseStepFlags, renderArchTable, StepUsageError, type OursImplementation, type TorchReport } from './step.ts';

const result = (arch: string, msPerStep: number, gpuMs: number | null = null) => ({
  arch,
  parameters: 407184,
  dispatches: 88,
  microBatches: 1,
  warmupMs: msPerStep,
  stepsMs: [msPerStep],
  msPerStep,
  tokensPerSecond: 2048 / (msPerStep / 1000),
  gpuMs,
});

const ours: OursImplementation[] = [
  { implementation: 'lavapipe', results: [result('mA-Sg-mA-Sg', 900, 450)] },
  { implementation: 'swiftshader', results: [result('mA-Sg-mA-Sg', 3600)] },
  { implementation: 'broken', results: [], error: 'child exited with 1' },
];
const torch: TorchReport = {
  torch: '1.13.0',
  device: 'cpu',
  threads: 2,
  results: [{ arch: 'mA-Sg-mA-Sg', parameters: 407184, msPerStep: 1200, stepsMs: [1200], tokensPerSecond: 2048 / 1.2 }],
};

describe('bench step', () => {
  it('divides our ms/step by PyTorch\'s, per implementation', () => {
    const rows = compare(ours, torch);
    expect(rows.map((r) => [r.implementation, r.oursOverTorch])).toEqual([
      ['lavapipe', 0.75],
      ['swiftshader', 3],
    ]);
    expect(compare(ours, null)[0]!.oursOverTorch).toBeNull();
  });

  it('prints a row per implementation, n/a without timestamps, and PyTorch as 1.00×', () => {
    const table = renderArchTable('mA-Sg-mA-Sg', { ours, torch });
    expect(table).toContain('| lavapipe | 900 | 2,276 | 88 | 450 | 1200 | 0.75× |');
    expect(table).toContain('| swiftshader | 3600 | 569 | 88 | n/a | 1200 | 3.00× |');
    expect(table).toContain('| broken | failed: child exited with 1 |');
    expect(table).toMatch(/\| PyTorch 1\.13\.0 eager \(cpu, 2 threads\) \| 1200 \| 1,707 \| \| \| \| 1\.00× \|/);
  });

  it('parses its flags and refuses bad ones', () => {
    expect(parseStepFlags(['--steps', '3', '--arch', 'H-Sg-H-Sg', '--torch', '--json'])).toMatchObject({
      steps: 3,
      archs: ['H-Sg-H-Sg'],
      torch: true,
      json: true,
      write: true,
    });
    expect(() => parseStepFlags(['--steps', '0'])).toThrow(StepUsageError);
    expect(() => parseStepFlags(['--fast'])).toThrow(StepUsageError);
  });
});
