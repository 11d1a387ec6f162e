// The three Hyena layers inside a whole training step (embedding → pre-norm residual layers →
// head → cross-entropy → backward → AdamW): the graph compiles with them and the loss falls
// when one tiny batch (a task that needs mixing across time: predict the previous token) is
// trained on repeatedly.

import { describe, expect, it } from 'vitest';
import { testGpu } from '../../engine/testing/gpu.ts';
import { randomInts } from '../../engine/testing/random.ts';
import { TrainingStep } from '../../engine/trainingStep.ts';
import { buildTrainingProgram } from '../../train/trainingProgram.ts';

const V = 8;
const L = 8;
const BATCH = 4;
const DIM = 8;
const STEPS = 20;

describe('hyena family in a training step', () => {
  it('hyena, mh-hyena and hyena-experts train: the loss on a repeated batch falls', async () => {
    const lc = (order: number, heads?: number) => ({ bias: true, filter_cls: 'implicit', filter_cfg: { order }, ...(heads ? { num_heads: heads } : {}) });
    const layers = [
      { type: 'hyena', config: { inner_factor: 1, long_conv_cfg: lc(4) } },
      { type: 'mh-hyena', config: { num_heads: 4, long_conv_cfg: lc(2, 4) } },
      { type: 'hyena-experts', config: { dim_inner: 2, num_experts: 4, long_conv_cfg: lc(4) } },
    ];
    const gpu = await testGpu();
    const program = buildTrainingProgram({
      architecture: { version: 1, dim: DIM, layers },
      target: gpu.target,
      vocabSize: V,
      batchSize: BATCH,
      seqLen: L,
      weightDecay: 0,
      seed: 3,
    });
    const step = await TrainingStep.compile(gpu, program);
    const ids = randomInts(BATCH * L, V, 5);
    const targets = new Int32Array(BATCH * L).fill(-100);
    for (let b = 0; b < BATCH; b++) for (let t = 1; t < L; t++) targets[b * L + t] = ids[b * L + t - 1]!;
    const losses: number[] = [];
    for (let s = 0; s < STEPS; s++) {
      const m = step.train([ids, targets], 2e-2, { readMetrics: true });
      losses.push((await m!).loss);
    }
    step.destroy();
    console.log(`losses ${losses.map((l) => l.toFixed(3)).join(' ')}`);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses.at(-1)).toBeLessThan(losses[0]! * 0.6);
  });
});
