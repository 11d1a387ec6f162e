// GPU memory of one training step, for the Builder's totals. Memory is not a formula: the whole
// training program (forward, loss, backward, AdamW) is traced at the real batch shape, planning
// only, and its memory pools are summed, and the engine allocates exactly one buffer per pool of
// that size. It lives beside the program it traces; the page reaches it through the boundary
// table's edge ui → train/trainingMemory.ts.

import type { KernelTarget } from '../config/kernelTarget.ts';
import type { Pool } from '../engine/tensor.ts';
import type { ArchitectureSpec, ResolvedArchitecture } from '../model/architecture.ts';
import type { CountContext } from '../model/counting.ts';
import type { StepShape } from '../model/estimates.ts';
import { buildTrainingProgram } from './trainingProgram.ts';

export interface TrainingMemory {
  /** Weights, their gradients and AdamW's two moments. */
  parameterBytes: number;
  /** Forward activations, their gradients and the step's scratch (scales with batch × length). */
  activationBytes: number;
  /** Loss and accuracy counters kept across steps. */
  metricBytes: number;
  totalBytes: number;
}

const PARAMETER_POOLS: readonly Pool[] = ['param', 'paramGrad', 'optimizer'];
const ACTIVATION_POOLS: readonly Pool[] = ['activation', 'grad'];

/**
 * GPU memory of one training step of `spec` at `shape` with `target`'s kernels, as the engine plans
 * it (one buffer per pool). Traces the program on the CPU without drawing initial weights; throws
 * the model's own error when the spec cannot build.
 */
export function trainingMemory(architecture: ArchitectureSpec | ResolvedArchitecture, context: CountContext, shape: StepShape, target: KernelTarget): TrainingMemory {
  const program = buildTrainingProgram({
    architecture,
    target,
    vocabSize: context.vocabSize,
    maxLength: context.maxLength,
    task: context.task,
    batchSize: shape.batchSize,
    seqLen: shape.seqLen,
    weightDecay: 0,
    seed: 0,
    planOnly: true,
  });
  const planned = program.graph.plannedBytes;
  const sum = (pools: readonly Pool[]) => pools.reduce((n, pool) => n + planned[pool], 0);
  const parameterBytes = sum(PARAMETER_POOLS);
  const activationBytes = sum(ACTIVATION_POOLS);
  return { parameterBytes, activationBytes, metricBytes: planned.metric, totalBytes: parameterBytes + activationBytes + planned.metric };
}
