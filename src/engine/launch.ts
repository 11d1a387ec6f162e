// A Launch is one compute dispatch, described as data while a graph is traced: the final WGSL
// text, its entry point and override constants, what is bound at each binding, and the grid.
// Compiling turns each Launch into a cached pipeline plus a bind group created once.

import type { Tensor } from './tensor.ts';

/**
 * Phases of a training step, encoded in this order. With gradient accumulation 'forward' and
 * 'backward' repeat once per micro-batch, while 'batchStart' (clearing per-batch counters) and
 * 'batchEnd' (folding the whole batch into the metric sums) run once per batch.
 */
export type Phase = 'batchStart' | 'forward' | 'backward' | 'batchEnd' | 'update';

export type Binding =
  | { kind: 'tensor'; tensor: Tensor }
  /** Constant parameters of this launch (shapes, strides), written once at compile time. */
  | { kind: 'uniform'; data: ArrayBuffer }
  /** The per-step uniform (learning rate, step count…) written with one writeBuffer per step. */
  | { kind: 'stepUniform' };

export interface Launch {
  label: string;
  phase: Phase;
  source: string;
  entryPoint: string;
  constants: Record<string, number>;
  /** bindings[i] is bound at @group(0) @binding(i). */
  bindings: Binding[];
  workgroups: readonly [number, number, number];
}

/** Largest workgroup count per grid dimension that WebGPU guarantees. */
export const MAX_WORKGROUPS_PER_DIM = 65535;

/**
 * Spreads `count` workgroups over x and y so no dimension exceeds the guaranteed limit.
 * Shaders recover the linear workgroup index as `wid.x + wid.y * num_workgroups.x`.
 */
export function grid1d(count: number): [number, number, number] {
  const n = Math.max(1, Math.ceil(count));
  if (n <= MAX_WORKGROUPS_PER_DIM) return [n, 1, 1];
  const y = Math.ceil(n / MAX_WORKGROUPS_PER_DIM);
  return [Math.ceil(n / y), y, 1];
}
