// AdamW inside real training steps against the f64 reference (src/engine/ops/adamw/reference.ts):
// a model trained for several steps at the cosine schedule's per-epoch learning rates, with weight
// decay and 2 micro-batches; after every step the GPU's parameter gradients are read and fed to
// the reference, whose parameters and moments must match the GPU's throughout.

import { describe, expect, it } from 'vitest';
import { testGpu } from '../engine/testing/gpu.ts';
import { TrainingStep } from '../engine/trainingStep.ts';
import { adamwInit, adamwReferenceStep } from '../engine/ops/adamw/reference.ts';
import { Prng } from '../tasks/prng.ts';
import { LearningRateSchedule } from './schedule.ts';
import { buildTrainingProgram } from './trainingProgram.ts';
import { DEFAULT_TRAINING } from './types.ts';

const V = 8;
const T = 8;
const B = 8;
const STEPS = 5;
/** f32 arithmetic against f64 on the same gradients: a step moves a weight by about lr = 1e-2. */
const ATOL = 1e-6;
/** Moments: max |diff| over the largest |moment| (tiny moments carry f32 cancellation). */
const MOMENT_RTOL = 1e-5;

function scaledDiff(gpu: ArrayLike<number>, reference: Float64Array): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < reference.length; i++) {
    diff = Math.max(diff, Math.abs(gpu[i]! - reference[i]!));
    scale = Math.max(scale, Math.abs(reference[i]!));
  }
  return diff / scale;
}

describe('AdamW in the training step', () => {
  it(`${STEPS} steps with scheduled lr, weight decay 0.1 and 2 micro-batches match torch.optim.AdamW (f64 reference)`, { timeout: 60_000 }, async () => {
    const gpu = await testGpu();
    const program = buildTrainingProgram({
      architecture: { version: 1, dim: 16, layers: [{ type: 'mh-attention', config: { n_heads: 2, rotary_emb_dim: 8 } }, { type: 'swiglu' }] },
      target: gpu.target,
      vocabSize: V,
      batchSize: B / 2,
      seqLen: T,
      weightDecay: 0.1,
      seed: 9,
    });
    const step = await TrainingStep.compile(gpu, program, { microBatches: 2 });
    const schedule = LearningRateSchedule.start({ ...DEFAULT_TRAINING, lr: 1e-2, epochs: STEPS });
    const { beta1, beta2, eps, weightDecay } = program.optimizer.config;
    const reference = adamwInit(await step.readParameters());
    const rng = new Prng(4);
    let worstParam = 0;
    let worstMoment = 0;
    for (let t = 1; t <= STEPS; t++) {
      const lr = schedule.lrAt(t - 1); // one step per "epoch": every step has its own lr
      const ids = Int32Array.from({ length: B * T }, () => rng.integer(V));
      const targets = Int32Array.from({ length: B * T }, () => rng.integer(V));
      step.train([ids, targets], lr);
      const gradient = await step.compiled.readPool('paramGrad');
      adamwReferenceStep(reference, gradient, t, { lr, weightDecay, beta1, beta2, eps });
      const params = await step.readParameters();
      const m = await step.compiled.read(program.optimizer.m);
      const v = await step.compiled.read(program.optimizer.v);
      params.forEach((p, i) => (worstParam = Math.max(worstParam, Math.abs(p - reference.param[i]!))));
      worstMoment = Math.max(worstMoment, scaledDiff(m, reference.m), scaledDiff(v, reference.v));
    }
    step.destroy();
    const largest = reference.param.reduce((mx, p) => Math.max(mx, Math.abs(p)), 0);
    console.log(
      `AdamW over ${STEPS} training steps (lr ${[0, 1, 2, 3, 4].map((e) => schedule.lrAt(e).toExponential(2)).join(', ')}; wd ${weightDecay}): ` +
        `parameters max |GPU − reference| ${worstParam.toExponential(2)} (tolerance ${ATOL}), moments max |diff| / max |moment| ${worstMoment.toExponential(2)}; largest |weight| ${largest.toFixed(3)}`,
    );
    expect(worstParam).toBeLessThan(ATOL);
    expect(worstMoment).toBeLessThan(MOMENT_RTOL);
  });
});
