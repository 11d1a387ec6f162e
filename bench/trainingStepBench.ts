// The product's training step as the benches run it: buildTrainingProgram on an ArchitectureSpec
// (src/train/trainingProgram.ts: forward, cross-entropy with accuracy counters, metric sums,
// backward, gradient norm, AdamW) compiled into a TrainingStep (src/engine/trainingStep.ts: batch
// upload, step uniform, one submit per step). Shared by `bench -- kernels` (its MLP step against
// TF.js) and `bench -- step` (the paper's architectures against a PyTorch twin).

import type { EngineGpu } from '../src/engine/compile.ts';
import { TrainingStep } from '../src/engine/trainingStep.ts';
import type { ArchitectureSpec } from '../src/model/architecture.ts';
import { planMicroBatches } from '../src/train/microBatching.ts';
import { buildTrainingProgram } from '../src/train/trainingProgram.ts';

/** What the bench needs of our training step: record and submit one full step (no readback). */
export interface BenchTrainingStep {
  step(): void;
  destroy(): void;
  /** Where it came from, for the report. */
  readonly source: string;
  readonly parameterCount: number;
  /** Compute dispatches per step (every phase of the program; gradient clears are buffer clears). */
  readonly dispatches: number;
  /** Micro-batches per step: more than 1 where the batch's activations exceed one buffer of the device. */
  readonly microBatches: number;
  readonly trainingStep: TrainingStep;
}

export interface BenchStepConfig {
  architecture: ArchitectureSpec;
  vocabSize: number;
  batchSize: number;
  seqLen: number;
  weightDecay: number;
  lr: number;
  seed: number;
  /** [ids, targets], batchSize × seqLen each. */
  batch: readonly [Int32Array, Int32Array];
  source: string;
}

/** The step split into micro-batches as the trainer splits it (src/train/microBatching.ts), so it fits the device. */
export async function createBenchTrainingStep(gpu: EngineGpu, c: BenchStepConfig): Promise<BenchTrainingStep> {
  const { microBatches, program } = planMicroBatches(
    (rows) =>
      buildTrainingProgram({
        architecture: c.architecture,
        target: gpu.target,
        vocabSize: c.vocabSize,
        batchSize: rows,
        seqLen: c.seqLen,
        weightDecay: c.weightDecay,
        seed: c.seed,
      }),
    c.batchSize,
    gpu.device.limits,
  );
  const trainingStep = await TrainingStep.compile(gpu, program, { microBatches });
  return {
    step: () => void trainingStep.train(c.batch, c.lr),
    destroy: () => trainingStep.destroy(),
    source: c.source,
    parameterCount: program.parameterCount,
    // Per micro-batch: forward and backward; once per step: batchStart, batchEnd, update.
    dispatches: program.graph.launches.filter((l) => l.phase === 'forward' || l.phase === 'backward').length * (microBatches - 1) + program.graph.launches.length,
    microBatches,
    trainingStep,
  };
}

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
