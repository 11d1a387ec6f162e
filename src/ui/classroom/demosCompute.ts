// How much compute a classroom demo asks for, and how long that should take on a laptop GPU.
// The demos are sized to finish in about a minute there; no laptop GPU was available to measure
// one, so the time is an estimate from stated assumptions, not a measurement:
// - FLOPs per training step: src/model/estimates.ts (docs/protocol.md §11: 6 · non-embedding parameters ·
//   tokens, plus attention's quadratic term); each epoch also runs a test pass, counted as the
//   forward third of a step per test sequence. Every epoch is counted (no early stop).
// - LAPTOP_GPU_FLOPS: a few hundred GFLOP/s sustained is what WebGPU matmuls reach on integrated
//   and entry-level laptop GPUs of 2–5 TFLOP/s peak at these small shapes; 200 GFLOP/s is the
//   low end of that.
// - STEP_OVERHEAD_S: one submit of ~100 small dispatches per step plus the metric readback.

import { countModel } from '../../model/counting.ts';
import { stepFlops } from '../../model/estimates.ts';
import { modelInputLength } from '../../tasks/stream.ts';
import type { Demo } from './demosFile.ts';

export const LAPTOP_GPU_FLOPS = 200e9;
export const STEP_OVERHEAD_S = 0.002;
/** "About a minute": what every demo's estimate must stay under (checked by demos.test.ts). */
export const DEMO_SECONDS_BOUND = 75;

export interface ModelCompute {
  label: string;
  parameters: number;
  steps: number;
  flops: number;
}

export interface DemoCompute {
  models: ModelCompute[];
  flops: number;
  steps: number;
  /** flops / LAPTOP_GPU_FLOPS + steps · STEP_OVERHEAD_S. */
  seconds: number;
}

export function estimateDemoCompute(demo: Demo): DemoCompute {
  const { setting, training } = demo;
  const seqLen = modelInputLength(setting);
  const stepsPerEpoch = Math.ceil(setting.numTrainExamples / training.batchSize);
  const models = demo.models.map(({ label, architecture }): ModelCompute => {
    const count = countModel(architecture, { vocabSize: setting.vocabSize, maxLength: setting.seqLen, task: setting.task });
    const perSequence = stepFlops(architecture, count, { batchSize: 1, seqLen }).total;
    const perEpoch = perSequence * (setting.numTrainExamples + setting.numTestExamples / 3);
    return { label, parameters: count.total, steps: stepsPerEpoch * training.epochs, flops: perEpoch * training.epochs };
  });
  const flops = models.reduce((sum, m) => sum + m.flops, 0);
  const steps = models.reduce((sum, m) => sum + m.steps, 0);
  return { models, flops, steps, seconds: flops / LAPTOP_GPU_FLOPS + steps * STEP_OVERHEAD_S };
}
