// The product's training step as the benchmarks time it: buildTrainingProgram on an
// ArchitectureSpec (trainingProgram.ts: forward, cross-entropy with accuracy counters, metric sums,
// backward, gradient norm, AdamW) compiled into a TrainingStep (src/engine/trainingStep.ts: batch
// upload, step uniform, one submit per step), split into micro-batches as the trainer splits it.
// Shared by the GPU check page's benchmark (src/worker/gpuBenchmarkSteps.ts), the adapter speed
// behind every ETA (src/worker/adapterSpeed.ts) and `npm run bench`
// (bench/trainingStepBench.ts: its MLP step against TF.js, the paper's architectures against PyTorch).

import type { EngineGpu } from '../engine/compile.ts';
import { TrainingStep } from '../engine/trainingStep.ts';
import type { ArchitectureSpec } from '../model/architecture.ts';
import { planMicroBatches } from './microBatching.ts';
import { buildTrainingProgram } from './trainingProgram.ts';

/** What a benchmark needs of the training step: record and submit one full step (no readback). */
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

/** The step split into micro-batches as the trainer splits it (microBatching.ts), so it fits the device. */
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
