// What one training step of a model computes at MAD's batch size (docs/protocol.md §6: 128 sequences), for the
// builder's totals. FLOPs follow docs/protocol.md §11: ≈ 6 × parameters per token for the matmuls of forward
// and backward, plus attention's quadratic term. The step's memory is measured by tracing the
// training program, so it lives with that program (train/trainingMemory.ts).

import { resolveArchitecture, type ArchitectureSpec, type ResolvedArchitecture } from './architecture.ts';
import type { ModelCount } from './counting.ts';

/** mad-lab trains every setting with batches of 128 sequences (docs/protocol.md §6). */
export const MAD_BATCH_SIZE = 128;

/** The softmax-attention layers: their cost per token grows with the number of keys a query sees. */
const ATTENTION_TYPES: ReadonlySet<string> = new Set(['attention', 'mh-attention', 'sliding-attention', 'mh-sliding-attention']);

export interface StepShape {
  batchSize: number;
  seqLen: number;
}

export interface StepFlops {
  /** 6 · (parameters − embedding) · tokens: every weight is used once forward and twice backward. */
  matmul: number;
  /** Σ over attention layers of 12 · keys per query · d · tokens (QKᵀ and AV, forward and backward). */
  attention: number;
  total: number;
}

/**
 * FLOPs of one training step (docs/protocol.md §11). The embedding is a lookup, not a matmul, so its
 * parameters are left out. Long convolutions, scans and elementwise work are not counted: at
 * MAD's width they are small next to the matmuls, so this is the usual 6·N·tokens estimate.
 */
export function stepFlops(architecture: ArchitectureSpec | ResolvedArchitecture, count: ModelCount, shape: StepShape): StepFlops {
  const { spec, layers } = resolveArchitecture(architecture);
  const tokens = shape.batchSize * shape.seqLen;
  const matmul = 6 * (count.total - count.embedding) * tokens;
  let attention = 0;
  for (const { definition, config } of layers) {
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
