// What one training step of a model costs at MAD's batch size (spec §6: 128 sequences), for the
// builder's totals. Memory is not a formula: the whole training program (forward, loss, backward,
// AdamW) is traced at the real batch shape, planning only, and its memory pools are summed, and
// the engine allocates exactly one buffer per pool of that size. FLOPs follow spec §11: ≈ 6 ×
// parameters per token for the matmuls of forward and backward, plus attention's quadratic term.

import type { Pool } from '../engine/tensor.ts';
import { buildTrainingProgram } from '../train/trainingProgram.ts';
import { resolveLayers, type ArchitectureSpec } from './architecture.ts';
import type { CountContext, ModelCount } from './counting.ts';

/** mad-lab trains every setting with batches of 128 sequences (spec §6). */
export const MAD_BATCH_SIZE = 128;

/** The softmax-attention layers: their cost per token grows with the number of keys a query sees. */
const ATTENTION_TYPES: ReadonlySet<string> = new Set(['attention', 'mh-attention', 'sliding-attention', 'mh-sliding-attention']);

export interface StepShape {
  batchSize: number;
  seqLen: number;
}

export interface TrainingMemory {
  /** Weights, their gradients and AdamW's two moments. */
  parameterBytes: number;
  /** Forward activations, their gradients and the step's scratch (scales with batch × length). */
  activationBytes: number;
  /** Loss and accuracy counters kept across steps. */
  metricBytes: number;
  totalBytes: number;
}

export interface StepFlops {
  /** 6 · (parameters − embedding) · tokens: every weight is used once forward and twice backward. */
  matmul: number;
  /** Σ over attention layers of 12 · keys per query · d · tokens (QKᵀ and AV, forward and backward). */
  attention: number;
  total: number;
}

const PARAMETER_POOLS: readonly Pool[] = ['param', 'paramGrad', 'optimizer'];
const ACTIVATION_POOLS: readonly Pool[] = ['activation', 'grad'];

/**
 * GPU memory of one training step of `spec` at `shape`, as the engine plans it (one buffer per
 * pool). Traces the program on the CPU without drawing initial weights; throws the model's own
 * error when the spec cannot build.
 */
export function trainingMemory(spec: ArchitectureSpec, context: CountContext, shape: StepShape): TrainingMemory {
  const program = buildTrainingProgram({
    architecture: spec,
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

/**
 * FLOPs of one training step (spec §11). The embedding is a lookup, not a matmul, so its
 * parameters are left out. Long convolutions, scans and elementwise work are not counted: at
 * MAD's width they are small next to the matmuls, so this is the usual 6·N·tokens estimate.
 */
export function stepFlops(spec: ArchitectureSpec, count: ModelCount, shape: StepShape): StepFlops {
  const tokens = shape.batchSize * shape.seqLen;
  const matmul = 6 * (count.total - count.embedding) * tokens;
  let attention = 0;
  for (const { definition, config } of resolveLayers(spec)) {
    if (!ATTENTION_TYPES.has(definition.name)) continue;
    attention += 12 * keysPerQuery(config.window_size, shape.seqLen) * spec.dim * tokens;
  }
  return { matmul, attention, total: matmul + attention };
}

/** Every earlier key under window_size [-1, -1]; otherwise the left window plus the query itself. */
function keysPerQuery(windowSize: unknown, seqLen: number): number {
  const left = Array.isArray(windowSize) ? Number(windowSize[0]) : -1;
  return left < 0 ? seqLen : Math.min(seqLen, left + 1);
}
