// After warm-up a training step is exactly one queue.submit and creates no GPU buffer or bind
// group, metric read-back included (the copy rides in the step's own submit).

import { describe, expect, it } from 'vitest';
import { gpuStats } from '../gpu/stats.ts';
import { testGpu } from '../engine/testing/gpu.ts';
import { TrainingStep } from '../engine/trainingStep.ts';
import { buildTrainingProgram } from './trainingProgram.ts';

describe('training step budget', () => {
  it('issues one submit per step and allocates nothing after warm-up', async () => {
    const gpu = await testGpu();
    const program = buildTrainingProgram({
      architecture: { version: 1, dim: 8, layers: [{ type: 'mlp' }] },
      target: gpu.target,
      vocabSize: 16,
      batchSize: 2,
      seqLen: 4,
      weightDecay: 0.1,
      seed: 1,
    });
    const step = await TrainingStep.compile(gpu, program);
    const batch = [new Int32Array(8).map((_, i) => i % 16), new Int32Array(8).map((_, i) => (i + 1) % 16)];
    await step.train(batch, 1e-3, { readMetrics: true }); // warm-up

    const before = gpuStats(gpu.device);
    const steps = 6;
    const pending: Promise<unknown>[] = [];
    for (let i = 0; i < steps; i++) {
      const read = step.train(batch, 1e-3, { readMetrics: i % 2 === 1 });
      if (read) pending.push(read);
      if (pending.length === 2) await pending.shift(); // double-buffered: at most two in flight
    }
    await Promise.all(pending);
    const after = gpuStats(gpu.device);
    step.destroy();

    expect(after.submits - before.submits).toBe(steps);
    expect(after.buffersCreated - before.buffersCreated).toBe(0);
    expect(after.bindGroupsCreated - before.bindGroupsCreated).toBe(0);
  });
});
