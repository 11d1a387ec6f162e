// Every op of the engine, with the shaders of its forward and backward passes and its
// GPU-versus-reference checks. Typed as a record so an entry without a backward does not
// compile; registry.test.ts checks the shaders exist and compile and that every op's checks
// compare a backward result. selftest runs every check listed here.

import type { KernelCheck } from './kernelCheck.ts';
import { unaryChecks } from './unary/checks.ts';
import { adamwChecks } from './adamw/checks.ts';
import { crossEntropyChecks } from './crossEntropy/checks.ts';
import { embeddingChecks } from './embedding/checks.ts';
import { gradNormChecks } from './gradNorm/checks.ts';
import { metricChecks } from '../metrics/checks.ts';
import { rotaryChecks } from './rotary/checks.ts';
import { binaryChecks } from './binary/checks.ts';
import { reduceChecks } from './reduce/checks.ts';
import { softmaxChecks } from './softmax/checks.ts';
import { rmsnormChecks } from './rmsnorm/checks.ts';
import { layernormChecks } from './layernorm/checks.ts';
import { matmulChecks } from './matmul/checks.ts';

export interface OpEntry {
  /** Shader files under shaders/ that the forward pass launches. */
  forward: readonly string[];
  /** Shader files under shaders/ that the backward pass launches. */
  backward: readonly string[];
  checks: readonly KernelCheck[];
}

export const OPS = {
  unary: {
    forward: ['elementwise/unary_forward.wgsl'],
    backward: ['elementwise/unary_backward.wgsl'],
    checks: unaryChecks,
  },
  embedding: {
    forward: ['embedding/embedding_forward.wgsl'],
    backward: [
      'embedding/embedding_backward_count.wgsl',
      'embedding/embedding_backward_scan.wgsl',
      'embedding/embedding_backward_place.wgsl',
      'embedding/embedding_backward.wgsl',
    ],
    checks: embeddingChecks,
  },
  rotary: {
    forward: ['attention/rotary_forward.wgsl'],
    backward: ['attention/rotary_backward.wgsl'],
    checks: rotaryChecks,
  },
  crossEntropy: {
    forward: ['loss/cross_entropy_forward.wgsl', 'loss/cross_entropy_reduce.wgsl', 'loss/cross_entropy_zero.wgsl'],
    backward: ['loss/cross_entropy_backward.wgsl'],
    checks: crossEntropyChecks,
  },
  binary: {
    forward: ['elementwise/binary_forward.wgsl'],
    // Broadcast operands' gradients go through the strided reductions.
    backward: ['elementwise/binary_backward.wgsl', 'reduce/reduce_forward.wgsl', 'reduce/reduce_product.wgsl'],
    checks: binaryChecks,
  },
  reduce: {
    forward: ['reduce/reduce_forward.wgsl'],
    backward: ['reduce/reduce_backward.wgsl'],
    checks: reduceChecks,
  },
  softmax: {
    forward: ['reduce/softmax_forward.wgsl'],
    backward: ['reduce/softmax_backward.wgsl'],
    checks: softmaxChecks,
  },
  rmsnorm: {
    forward: ['norm/rmsnorm_forward.wgsl'],
    backward: ['norm/rmsnorm_backward.wgsl', 'norm/norm_param_grad.wgsl'],
    checks: rmsnormChecks,
  },
  layernorm: {
    forward: ['norm/layernorm_forward.wgsl'],
    backward: ['norm/layernorm_backward.wgsl', 'norm/norm_param_grad.wgsl'],
    checks: layernormChecks,
  },
  matmul: {
    // Scalar kernels 1, 2, 4 and the vec4 kernel 3 (taken when M, N, K are multiples of 4).
    forward: ['matmul/matmul_forward.wgsl', 'matmul/matmul_forward_vec4.wgsl'],
    backward: ['matmul/matmul_backward_dz.wgsl', 'matmul/matmul_backward.wgsl', 'matmul/matmul_backward_vec4.wgsl'],
    checks: matmulChecks,
  },
} as const satisfies Record<string, OpEntry>;

export type OpName = keyof typeof OPS;

/** Every kernel check, autograd ops first (what selftest runs). */
export function allKernelChecks(): KernelCheck[] {
  const ops = Object.values(OPS) as OpEntry[];
  const updates = Object.values(UPDATE_KERNELS) as UpdateKernelEntry[];
  return [...ops.flatMap((o) => o.checks), ...updates.flatMap((u) => u.checks)];
}

/**
 * Kernels of a training step that are not autograd ops (no backward exists): the optimizer, the
 * gradient norm and the metric sums. Their checks compare 'update …' / 'forward …' results.
 */
export interface UpdateKernelEntry {
  /** Shader files under shaders/ that it launches. */
  shaders: readonly string[];
  checks: readonly KernelCheck[];
}

export const UPDATE_KERNELS = {
  adamw: {
    shaders: ['optim/adamw.wgsl'],
    checks: adamwChecks,
  },
  gradNorm: {
    shaders: ['optim/grad_norm_partial.wgsl', 'optim/grad_norm_final.wgsl'],
    checks: gradNormChecks,
  },
  metricsAccumulate: {
    shaders: ['loss/metrics_accumulate.wgsl'],
    checks: metricChecks,
  },
} as const satisfies Record<string, UpdateKernelEntry>;
