// What RMSNorm and LayerNorm share: the row layout of their kernels and the final,
// deterministic sum of their parameter gradients' per-workgroup partials
// (shaders/norm/norm_param_grad.wgsl).

import type { KernelTarget } from '../../config/kernelTarget.ts';
import { bind, type Graph } from '../graph.ts';
import { grid1d } from '../launch.ts';
import { shaderSource } from '../shaderSource.ts';
import type { Tensor } from '../tensor.ts';
import { packUniform } from '../uniform.ts';
import { nextPow2 } from './reduce/broadcast.ts';

export const NORM_WG = 256;

/**
 * 'lanes': several invocations per row and a tree in workgroup memory, what real GPUs want.
 * 'rows': one invocation per row (one per column for the weight gradient), no barriers: CPU
 * adapters run workgroups as coroutines, where each barrier costs a switch of every invocation
 * (on SwiftShader the lanes kernels took a quarter of a small model's training step). Both
 * compute the same thing and pass the same checks.
 */
export const NORM_VARIANTS = ['lanes', 'rows'] as const;
export type NormVariant = (typeof NORM_VARIANTS)[number];
/** Invocations per workgroup of the 'rows' kernels. */
export const NORM_ROWS_WG = 64;

/** The variant for a target: lanes on GPUs, rows on CPU adapters. */
export function normVariantFor(target: KernelTarget): NormVariant {
  return target === 'gpu' ? 'lanes' : 'rows';
}
/** Elements one invocation keeps in registers (MAX_PER_THREAD in the norm shaders). */
export const NORM_MAX_PER_THREAD = 8;
/** The backward aims at about this many workgroups (each writes `slots` rows of partial sums). */
const TARGET_BLOCKS = 256;

export interface NormLayout {
  /** Invocations per row, a power of two. */
  lanes: number;
  /** Rows a workgroup handles at a time. */
  slots: number;
  /** Elements per invocation, ≤ NORM_MAX_PER_THREAD. */
  perThread: number;
}

/**
 * About four elements per invocation: D = 128 (MAD's width) runs 32 lanes × 8 rows per
 * workgroup, which keeps the tree short (5 levels) and every lane busy.
 */
export function normLayout(op: string, d: number): NormLayout {
  const lanes = Math.min(NORM_WG, nextPow2(Math.ceil(d / 4)));
  const perThread = Math.ceil(d / lanes);
  if (perThread > NORM_MAX_PER_THREAD) {
    throw new Error(`${op}: rows of ${d} exceed the ${NORM_WG * NORM_MAX_PER_THREAD} the kernels keep in registers`);
  }
  return { lanes, slots: NORM_WG / lanes, perThread };
}

/**
 * Backward blocking: each of `blocks` workgroups loops over `iters` groups of `slots` rows and
 * writes `slots` rows of parameter-gradient partials, `partialRows` in all.
 */
export function normBackwardBlocks(
  rows: number,
  layout: NormLayout,
): { iters: number; blocks: number; partialRows: number } {
  const iters = Math.max(1, Math.ceil(rows / (layout.slots * TARGET_BLOCKS)));
  const blocks = Math.ceil(rows / (layout.slots * iters));
  return { iters, blocks, partialRows: blocks * layout.slots };
}

/** A 1-element stand-in for a binding whose writes a flag disables (bindings may not alias). */
export function placeholder(g: Graph, label: string): Tensor {
  return g.tensor([1], 'f32', `${label} (unused)`);
}

/** dw += Σ_p partial[p, 0:D] (and db += Σ_p partial[p, D:2D] when db is given). */
export function recordNormParamGrad(
  g: Graph,
  label: string,
  partial: Tensor,
  partialRows: number,
  d: number,
  dw: Tensor,
  db: Tensor | null,
): void {
  const nOut = db ? 2 : 1;
  // 16 columns × 16 lanes: at MAD size (2,048 partial rows of 128) 8 workgroups of 128 terms
  // per lane for RMSNorm, 16 for LayerNorm; 64-byte contiguous reads per lane row.
  const cols = 16;
  g.launch({
    label: `${label} backward (parameter sums)`,
    source: shaderSource('norm/norm_param_grad.wgsl'),
    entryPoint: 'main',
    constants: { WG: NORM_WG, COLS: cols, ROWS: NORM_WG / cols },
    bindings: [
      bind(partial),
      bind(dw),
      bind(db ?? placeholder(g, `${label} db`)),
      {
        kind: 'uniform',
        data: packUniform([
          ['u32', partialRows],
          ['u32', d],
          ['u32', nOut],
        ]),
      },
    ],
    workgroups: grid1d((nOut * d) / cols),
  });
}
