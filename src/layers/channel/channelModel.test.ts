// Integration smoke test: channel mixers inside the real LanguageModel training step (embedding,
// RMSNorm, residuals, head, cross-entropy, AdamW). A few steps on one fixed batch must give a
// finite loss that falls. The unused moe-mlp `gates` parameter rides along. (moe-mlp and
// rwkv6 only: they carry every new kernel; each layer's own test checks its exact gradients.)

import { describe, expect, it } from 'vitest';
import { testGpu } from '../../engine/testing/gpu.ts';
import { randomInts } from '../../engine/testing/random.ts';
import { TrainingStep } from '../../engine/trainingStep.ts';
import { buildTrainingProgram } from '../../train/trainingProgram.ts';

const V = 8;
const L = 8;
const B = 2;
const DIM = 16;

describe('channel mixers in a LanguageModel', () => {
  it('moe-mlp and rwkv6-channel-mixer train: finite, falling loss on a fixed batch', async () => {
    const gpu = await testGpu();
    const program = buildTrainingProgram({
      architecture: {
        version: 1,
        dim: DIM,
        layers: [
          { type: 'moe-mlp', config: { dim_inner: 4, num_experts: 4 } },
          { type: 'rwkv6-channel-mixer', config: { dim_inner: 32 } },
        ],
        init: 'current',
      },
      target: gpu.target,
      vocabSize: V,
      batchSize: B,
      seqLen: L,
      weightDecay: 0,
      seed: 3,
    });
    const step = await TrainingStep.compile(gpu, program);
    const batch = [randomInts(B * L, V, 1), randomInts(B * L, V, 2)];
    const losses: number[] = [];
    for (let i = 0; i < 4; i++) losses.push((await step.train(batch, 1e-2, { readMetrics: true })!).loss);
    step.destroy();
    console.log(`losses ${losses.map((l) => l.toFixed(4)).join(' ')}`);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses.at(-1)!).toBeLessThan(losses[0]! * 0.9);
  });
});
