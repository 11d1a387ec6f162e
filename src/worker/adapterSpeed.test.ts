// The adapter speed measured on the test GPU (lavapipe or SwiftShader here) with a small reference
// model: finite and positive figures, and a reference naming what was timed. No value is asserted:
// it depends on the machine and its load.
import { describe, expect, it } from 'vitest';
import { testGpu } from '../engine/testing/gpu.ts';
import { architectureFromLayers } from '../model/architecture.ts';
import { describeReference, MAD_REFERENCE, measureAdapterSpeed } from './adapterSpeed.ts';

describe('measureAdapterSpeed', () => {
  it('times the training step at two batch sizes at least and fits a finite, positive speed', async () => {
    const reference = { architecture: architectureFromLayers(['mlp'], { dim: 16 }), vocabSize: 8, seqLen: 8, maxBatch: 4, steps: 2 };
    const start = performance.now();
    const speed = await measureAdapterSpeed(await testGpu(), reference);
    console.log(`${(speed.flopsPerSecond / 1e9).toFixed(3)} GFLOP/s + ${(speed.stepOverheadSeconds * 1e3).toFixed(2)} ms per step (${speed.reference}) in ${((performance.now() - start) / 1000).toFixed(2)} s`);
    expect(Number.isFinite(speed.flopsPerSecond) && speed.flopsPerSecond > 0).toBe(true);
    expect(Number.isFinite(speed.stepOverheadSeconds) && speed.stepOverheadSeconds >= 0).toBe(true);
    expect(speed.reference).toMatch(new RegExp(`^${describeReference(reference).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, batches (1 and 2|2 and 4)$`));
    expect(Number.isNaN(Date.parse(speed.measuredAt))).toBe(false);
  });

  it("the gate's reference is a valid model at MAD's width, up to MAD's batch", () => {
    expect(MAD_REFERENCE.architecture.dim).toBe(128);
    expect(MAD_REFERENCE.maxBatch).toBe(128);
    expect(describeReference(MAD_REFERENCE)).toBe('mA-Sg d=128, vocabulary 16, length 32');
  });
});
