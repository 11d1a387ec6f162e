// The GPU check's training-step benchmarks: the product's whole training step (forward,
// cross-entropy, backward, gradient norm, AdamW: src/train/benchTrainingStep.ts, micro-batched as
// the trainer does) of each of the paper's architectures (the 'paper' presets, configs/presets/)
// at in-context recall's shape (docs/protocol.md §1.1: T 128, vocabulary 16) on the kernels'
// 32 sequences (madShape.ts), a quarter of MAD's 128-sequence batch: a step at 128 takes a minute
// per architecture on CPU adapters (lavapipe), so the whole benchmark would take an hour on
// SwiftShader, while tokens/s, the figure that carries over, is the same or lower at 32 (a step's
// time is about linear in the batch). Or one small model for the e2e test. FLOPs per step are the
// project's count (src/model/estimates.ts stepFlops: 6·parameters·tokens plus attention's term).

import type { EngineGpu } from '../engine/compile.ts';
import { MAD_KERNEL_SHAPE, MAD_VOCAB } from '../engine/ops/madShape.ts';
import { randomInts } from '../engine/testing/random.ts';
import { architectureFromLayers, modelId, type ArchitectureSpec } from '../model/architecture.ts';
import { countModel } from '../model/counting.ts';
import { stepFlops } from '../model/estimates.ts';
import { DEFAULT_LAYERS, loadPresets } from '../model/presets.ts';
import { createBenchTrainingStep } from '../train/benchTrainingStep.ts';
import { DEFAULT_TRAINING } from '../train/types.ts';
import type { GpuStepBenchmarkResult } from './gpuCheckApi.ts';
import type { BenchmarkSize } from './gpuBenchmarkKernels.ts';
import { timeSubmitting } from './gpuBenchmarkTiming.ts';

/** About this long of timed steps per architecture once one has been timed. */
const TARGET_MS: Record<BenchmarkSize, number> = { small: 100, mad: 1000 };

export interface StepWorkload {
  /** The preset's name, or what the small model is. */
  name: string;
  architecture: ArchitectureSpec;
  batchSize: number;
  seqLen: number;
}

/** 'mad': every paper preset at MAD's kernel shape; 'small': the default model's first block on a few short sequences. */
export function stepWorkloads(size: BenchmarkSize): StepWorkload[] {
  if (size === 'small') return [{ name: 'default model, first block', architecture: architectureFromLayers(DEFAULT_LAYERS.slice(0, 2)), batchSize: 2, seqLen: 16 }];
  return loadPresets()
    .filter((p) => p.source === 'paper')
    .map((p) => ({ name: p.name, architecture: p.architecture, batchSize: MAD_KERNEL_SHAPE.batch, seqLen: MAD_KERNEL_SHAPE.seqLen }));
}

export async function benchmarkStep(gpu: EngineGpu, w: StepWorkload, size: BenchmarkSize): Promise<GpuStepBenchmarkResult> {
  const { architecture, batchSize, seqLen } = w;
  const tokens = batchSize * seqLen;
  const step = await createBenchTrainingStep(gpu, {
    architecture,
    vocabSize: MAD_VOCAB,
    batchSize,
    seqLen,
    weightDecay: DEFAULT_TRAINING.weightDecay,
    lr: DEFAULT_TRAINING.lr,
    seed: 1,
    batch: [randomInts(tokens, MAD_VOCAB, 1), randomInts(tokens, MAD_VOCAB, 2)],
    source: w.name,
  });
  try {
    const { msPerRun, runs } = await timeSubmitting(gpu.device, step.step, TARGET_MS[size]);
    const flops = stepFlops(architecture, countModel(architecture, { vocabSize: MAD_VOCAB, maxLength: seqLen }), { batchSize, seqLen }).total;
    return {
      architecture: modelId(architecture),
      name: w.name,
      shape: `B ${batchSize} × T ${seqLen}, d ${architecture.dim}, V ${MAD_VOCAB}${step.microBatches > 1 ? `, ${step.microBatches} micro-batches` : ''}`,
      parameters: step.parameterCount,
      flopsPerStep: flops,
      msPerStep: msPerRun,
      tokensPerSecond: tokens / (msPerRun / 1000),
      gflops: flops / (msPerRun * 1e6),
      steps: runs,
      timing: 'wall clock',
    };
  } finally {
    step.destroy();
  }
}
