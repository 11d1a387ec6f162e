// Timing the product's training step in the benches. The step itself (buildTrainingProgram compiled
// into a TrainingStep, micro-batched as the trainer does) is src/train/benchTrainingStep.ts, which
// the GPU check page's benchmark times too. Shared by `bench -- kernels` (its MLP step against
// TF.js) and `bench -- step` (the paper's architectures against a PyTorch twin).

import type { EngineGpu } from '../src/engine/compile.ts';
import type { BenchTrainingStep } from '../src/train/benchTrainingStep.ts';

export { createBenchTrainingStep, type BenchStepConfig, type BenchTrainingStep } from '../src/train/benchTrainingStep.ts';

export interface EachStepTiming {
  /** The first step: pipeline creation is done by then, but the driver's first use of each is in it. */
  warmupMs: number;
  /** Wall clock of each timed step, each awaited before the next. */
  stepsMs: number[];
  /** Median of stepsMs. */
  msPerStep: number;
}

/** One untimed warm-up step, then `steps` steps, each submitted and awaited alone (median kept). */
export async function timeEachStep(gpu: EngineGpu, step: BenchTrainingStep, steps: number): Promise<EachStepTiming> {
  const { queue } = gpu.device;
  const warm = performance.now();
  step.step();
  await queue.onSubmittedWorkDone();
  const warmupMs = performance.now() - warm;
  const stepsMs: number[] = [];
  for (let i = 0; i < steps; i++) {
    const start = performance.now();
    step.step();
    await queue.onSubmittedWorkDone();
    stepsMs.push(performance.now() - start);
  }
  return { warmupMs, stepsMs, msPerStep: median(stepsMs) };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
