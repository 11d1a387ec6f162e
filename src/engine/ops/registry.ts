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
import { attentionChecks } from './attention/checks.ts';
import { tokenShiftChecks } from './tokenShift/checks.ts';
import { tokenShiftMixChecks } from './tokenShiftMix/checks.ts';
import { moeGateChecks } from './moeGate/checks.ts';
import { expertMixChecks } from './expertMix/checks.ts';
import { causalConvChecks } from './causalConv/checks.ts';
import { selectiveScanChecks } from './selectiveScan/checks.ts';
import { mamba2ScanChecks } from './mamba2Scan/checks.ts';
import { MAMBA2_SCAN_SHADERS } from './mamba2Scan/mamba2Scan.ts';
import { sliceChecks } from './slice/checks.ts';
import { selectPositionChecks } from './selectPosition/checks.ts';
import { chunkedRecurrenceChecks, chunkedRecurrenceWideChecks } from './chunkedRecurrence/checks.ts';
import { CHUNKED_RECURRENCE_SHADERS } from './chunkedRecurrence/chunkedRecurrence.ts';
import { deltaRuleChecks } from './deltaRule/checks.ts';
import { DELTA_RULE_SHADERS } from './deltaRule/deltaRule.ts';
import { linearAttentionNormChecks } from './linearAttentionNorm/checks.ts';
import { LINEAR_ATTENTION_NORM_SHADERS } from './linearAttentionNorm/linearAttentionNorm.ts';
import { fftConvChecks, mhFftConvChecks } from './fftConv/checks.ts';
import { FFT_CONV_ALL_SHADERS } from './fftConv/fftConv.ts';
import { channelWrapChecks } from './channelWrap/checks.ts';

export interface OpEntry {
  /** Shader files under shaders/ that the forward pass launches. */
  forward: readonly string[];
  /** Shader files under shaders/ that the backward pass launches. */
  backward: readonly string[];
  checks: readonly KernelCheck[];
}

export const OPS = {
  chunkedRecurrence: {
    // Both kernel families ('chunks' for GPUs, barrier-free 'rows' for CPU adapters); the checks run each.
    forward: CHUNKED_RECURRENCE_SHADERS.forward,
    backward: CHUNKED_RECURRENCE_SHADERS.backward,
    checks: [...chunkedRecurrenceChecks, ...chunkedRecurrenceWideChecks],
  },
  deltaRule: {
    // DeltaNet's (optionally gated) delta rule: a sequential scan per (batch, head) storing chunk
    // boundary states; backward recomputes each chunk from its boundary, then unpacks the gradients.
    forward: DELTA_RULE_SHADERS.forward,
    backward: DELTA_RULE_SHADERS.backward,
    checks: deltaRuleChecks,
  },
  linearAttentionNorm: {
    forward: [LINEAR_ATTENTION_NORM_SHADERS.forward],
    backward: [LINEAR_ATTENTION_NORM_SHADERS.backward],
    checks: linearAttentionNormChecks,
  },
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
  flashAttention: {
    // Causal / sliding-window attention with rotary fused in; backward: dq pass, then dk dv pass.
    // Tiled kernels (GPUs) and the barrier-free 'rows' kernels (CPU adapters) of the same math.
    forward: ['attention/flash_attention_forward.wgsl', 'attention/flash_attention_rows_forward.wgsl'],
    backward: [
      'attention/flash_attention_backward_dq.wgsl',
      'attention/flash_attention_backward_dkv.wgsl',
      'attention/flash_attention_rows_backward_dq.wgsl',
      'attention/flash_attention_rows_backward_dkv.wgsl',
    ],
    checks: attentionChecks,
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
    forward: ['norm/rmsnorm_forward.wgsl', 'norm/rmsnorm_rows_forward.wgsl'],
    backward: ['norm/rmsnorm_backward.wgsl', 'norm/norm_param_grad.wgsl', 'norm/rmsnorm_rows_backward.wgsl', 'norm/rmsnorm_rows_param_grad.wgsl'],
    checks: rmsnormChecks,
  },
  layernorm: {
    forward: ['norm/layernorm_forward.wgsl', 'norm/layernorm_rows_forward.wgsl'],
    backward: ['norm/layernorm_backward.wgsl', 'norm/norm_param_grad.wgsl', 'norm/layernorm_rows_backward.wgsl', 'norm/layernorm_rows_param_grad.wgsl'],
    checks: layernormChecks,
  },
  selectPosition: {
    forward: ['elementwise/select_position_forward.wgsl'],
    backward: ['elementwise/select_position_backward.wgsl'],
    checks: selectPositionChecks,
  },
  matmul: {
    // Scalar kernels 1, 2, 4 and the vec4 kernel 3 (taken when M, N, K are multiples of 4).
    forward: ['matmul/matmul_forward.wgsl', 'matmul/matmul_forward_vec4.wgsl'],
    backward: ['matmul/matmul_backward_dz.wgsl', 'matmul/matmul_backward.wgsl', 'matmul/matmul_backward_vec4.wgsl'],
    checks: matmulChecks,
  },
  causalConv: {
    forward: ['conv/causal_conv_forward.wgsl'],
    backward: ['conv/causal_conv_backward.wgsl', 'conv/causal_conv_backward_params.wgsl', 'conv/causal_conv_backward_params_final.wgsl'],
    checks: causalConvChecks,
  },
  selectiveScan: {
    // Chunked: coefficients, local chunk scans, carries, rescan (forward); the same in reverse
    // time, then deterministic sums for dB/dC and dA_log/dD (backward).
    forward: [
      'scan/selective_scan_coef.wgsl',
      'scan/selective_scan_forward_chunk.wgsl',
      'scan/selective_scan_carry.wgsl',
      'scan/selective_scan_forward.wgsl',
    ],
    backward: [
      'scan/selective_scan_backward_chunk.wgsl',
      'scan/selective_scan_carry.wgsl',
      'scan/selective_scan_backward.wgsl',
      'scan/selective_scan_backward_bc.wgsl',
      'scan/selective_scan_backward_params.wgsl',
    ],
    checks: selectiveScanChecks,
  },
  mamba2Scan: {
    // Mamba-2's scan (Δ and A per head), chunked as selectiveScan; backward one workgroup per
    // (b, chunk, head) summing dΔ, dB, dC over the head's channels, then fixed-order sums.
    forward: MAMBA2_SCAN_SHADERS.forward,
    backward: MAMBA2_SCAN_SHADERS.backward,
    checks: mamba2ScanChecks,
  },
  slice: {
    forward: ['layout/slice_forward.wgsl'],
    backward: ['layout/slice_backward.wgsl'],
    checks: sliceChecks,
  },
  tokenShift: {
    forward: ['sequence/token_shift_forward.wgsl'],
    backward: ['sequence/token_shift_backward.wgsl'],
    checks: tokenShiftChecks,
  },
  tokenShiftMix: {
    forward: ['sequence/token_shift_mix_forward.wgsl'],
    backward: ['sequence/token_shift_mix_backward.wgsl'],
    checks: tokenShiftMixChecks,
  },
  moeGate: {
    forward: ['moe/moe_gate_forward.wgsl'],
    backward: ['moe/moe_gate_backward.wgsl'],
    checks: moeGateChecks,
  },
  expertMix: {
    forward: ['moe/expert_mix_forward.wgsl'],
    backward: ['moe/expert_mix_backward.wgsl'],
    checks: expertMixChecks,
  },
  fftConv: {
    forward: [...FFT_CONV_ALL_SHADERS.forward],
    backward: [...FFT_CONV_ALL_SHADERS.backward],
    checks: fftConvChecks,
  },
  mhFftConv: {
    // The filter spectrum and the final filter-gradient pass are fftConv's.
    forward: ['conv/fft_filter_spectrum.wgsl', 'conv/fft_mh_conv_forward.wgsl'],
    backward: ['conv/fft_mh_conv_backward.wgsl', 'conv/fft_conv_backward_filter_final.wgsl'],
    checks: mhFftConvChecks,
  },
  channelWrap: {
    forward: ['conv/channel_wrap_forward.wgsl'],
    backward: ['conv/channel_wrap_backward.wgsl'],
    checks: channelWrapChecks,
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
    shaders: ['loss/metrics_accumulate.wgsl', 'loss/batch_loss.wgsl'],
    checks: metricChecks,
  },
} as const satisfies Record<string, UpdateKernelEntry>;
