// The GPU check's kernel benchmarks: the kernels MAD's models spend their time in, at MAD's shape
// (madShape.ts: 32 sequences of 128 at width 128, each layer's default heads and state) or at a
// small shape that stays fast on SwiftShader (the e2e test). Each is the op as the layers record
// it (the kernels the adapter's target picks), compiled alone and timed forward, or forward and
// backward with its gradient clear, as a training step runs it.
//
// FLOPs are model FLOPs from a stated count: multiply-adds count 2, exp/log and the FFT's twiddles
// are not counted separately, and a backward pass counts twice its forward (the 6·N·tokens rule of
// docs/protocol.md §11: 2 forward + 4 backward), so forward + backward = 3 × forward.

import { compileGraph, type EngineGpu } from '../engine/compile.ts';
import { Graph } from '../engine/graph.ts';
import type { Phase } from '../engine/launch.ts';
import { flashAttention } from '../engine/ops/attention/flashAttention.ts';
import { fftConv, fftSize } from '../engine/ops/fftConv/fftConv.ts';
import { MAD_KERNEL_SHAPE } from '../engine/ops/madShape.ts';
import { matmul } from '../engine/ops/matmul/matmul.ts';
import { selectiveScan } from '../engine/ops/selectiveScan/selectiveScan.ts';
import type { Tensor } from '../engine/tensor.ts';
import { asF32, randomArray } from '../engine/testing/random.ts';
import type { GpuBenchmarkResult } from './gpuCheckApi.ts';
import { timeRecorded } from './gpuBenchmarkTiming.ts';

export type BenchmarkSize = 'small' | 'mad';

/** About this long of timed runs per kernel once one has been timed. */
const TARGET_MS: Record<BenchmarkSize, number> = { small: 50, mad: 500 };

interface KernelWorkload {
  name: string;
  shape: string;
  flops: number;
  /** Records the op; returns its output when the backward pass is timed too. */
  build(g: Graph): Tensor | null;
}

const { batch: B, seqLen: T, dim: D } = MAD_KERNEL_SHAPE;

const f32 = (n: number, seed: number, lo = -1, hi = 1): Float32Array => asF32(randomArray(n, seed, lo, hi)).f32;

/** An f32 input the backward pass differentiates. */
function trainable(g: Graph, shape: number[], label: string, seed: number, lo?: number, hi?: number): Tensor {
  const t = g.input(shape, 'f32', label, f32(shape.reduce((a, b) => a * b, 1), seed, lo, hi));
  g.markTrainable(t);
  return t;
}

/** The MLP's up-projection: B·T rows of width d into 4d. Forward: 2·M·N·K. */
function matmulWorkload(size: BenchmarkSize): KernelWorkload {
  const { M, N, K } = size === 'mad' ? { M: B * T, N: 4 * D, K: D } : { M: 256, N: 512, K: 128 };
  return {
    name: 'matmul forward',
    shape: `${M}×${N}×${K} (M×N×K)`,
    flops: 2 * M * N * K,
    build(g) {
      const a = g.input([M, K], 'f32', 'a', f32(M * K, 1));
      const b = g.input([K, N], 'f32', 'b', f32(K * N, 2));
      matmul(g, a, b);
      return null;
    },
  };
}

/**
 * mh-attention (16 heads of 8 at d = 128, causal, no window) fused with rotary. Query t sees t + 1
 * keys, so P = batch·heads·T(T+1)/2 (query, key) pairs; forward: q·k and p·v, 2·headDim each per
 * pair (4·P·headDim); with backward 12·P·headDim (the attention term of src/model/estimates.ts).
 */
function attentionWorkload(size: BenchmarkSize): KernelWorkload {
  const s = size === 'mad' ? { batch: B, time: T, heads: 16, headDim: D / 16 } : { batch: 2, time: 32, heads: 4, headDim: 8 };
  const pairs = (s.batch * s.heads * s.time * (s.time + 1)) / 2;
  return {
    name: 'fused attention forward + backward',
    shape: `B ${s.batch} × T ${s.time}, ${s.heads} heads of ${s.headDim}, causal`,
    flops: 3 * 4 * pairs * s.headDim,
    build(g) {
      const qkv = trainable(g, [s.batch, s.time, 3 * s.heads * s.headDim], 'qkv', 3, -1.5, 1.5);
      return flashAttention(g, qkv, { heads: s.heads, headDim: s.headDim });
    },
  };
}

/**
 * Hyena's long convolution (inner width 4d = 512 channels, a filter each) by FFTs of M = nextPow2(2T)
 * points. Forward: transforms of 5·M·log₂M each, two real channels per complex transform: B·C/2
 * for u, B·C/2 inverse, CF/2 for the filter; complex products of 6 over the M/2 bins of each real
 * channel (6·B·C·M/2); the skip term 2·B·T·C.
 */
function fftConvWorkload(size: BenchmarkSize): KernelWorkload {
  const s = size === 'mad' ? { B, T, C: 4 * D } : { B: 2, T: 32, C: 16 };
  const M = fftSize(s.T);
  const transforms = s.B * s.C + s.C / 2;
  const forward = transforms * 5 * M * Math.log2(M) + 3 * s.B * s.C * M + 2 * s.B * s.T * s.C;
  return {
    name: 'FFT convolution forward + backward',
    shape: `B ${s.B} × T ${s.T}, ${s.C} channels (FFT ${M})`,
    flops: 3 * forward,
    build(g) {
      const u = trainable(g, [s.B, s.T, s.C], 'u', 4);
      const k = g.param([s.T, s.C], f32(s.T * s.C, 5), 'k');
      const d = g.param([s.C], f32(s.C, 6), 'D');
      return fftConv(g, u, k, d);
    },
  };
}

/**
 * Mamba's selective scan (inner width 2d = 256 channels, state 4, B and C after dt_rank 8 columns
 * of a 16-wide projection). Forward per (b, t, channel, state): Δ·A, exp, Δx·B, a·h + u, y += C·h:
 * 7; per (b, t, channel): Δ·x and D·x + y: 3.
 */
function selectiveScanWorkload(size: BenchmarkSize): KernelWorkload {
  const s = size === 'mad' ? { B, T, C: 2 * D } : { B: 2, T: 32, C: 16 };
  const N = 4;
  const dtRank = 8;
  const S = dtRank + 2 * N;
  return {
    name: 'selective scan forward + backward',
    shape: `B ${s.B} × T ${s.T}, ${s.C} channels, state ${N}`,
    flops: 3 * s.B * s.T * s.C * (7 * N + 3),
    build(g) {
      const x = trainable(g, [s.B, s.T, s.C], 'x', 7);
      const delta = trainable(g, [s.B, s.T, s.C], 'delta', 8, 0.001, 0.1);
      const bc = trainable(g, [s.B, s.T, S], 'bc', 9);
      const aLog = g.param([s.C, N], Float32Array.from({ length: s.C * N }, (_, i) => Math.log((i % N) + 1)), 'A_log');
      const d = g.param([s.C], f32(s.C, 10), 'D');
      return selectiveScan(g, { x, delta, bc, bOffset: dtRank, cOffset: dtRank + N, aLog, d });
    },
  };
}

export function kernelWorkloads(size: BenchmarkSize): KernelWorkload[] {
  return [matmulWorkload(size), attentionWorkload(size), fftConvWorkload(size), selectiveScanWorkload(size)];
}

export async function benchmarkKernel(gpu: EngineGpu, workload: KernelWorkload, size: BenchmarkSize): Promise<GpuBenchmarkResult> {
  const g = new Graph(gpu.target);
  const output = workload.build(g);
  // The upstream gradient is an input, so no loss kernel is timed with the op.
  if (output !== null) g.backward(output, g.input(output.shape, 'f32', 'upstream', f32(output.size, 11)));
  const phases: Phase[] = output === null ? ['forward'] : ['forward', 'backward'];
  const compiled = await compileGraph(g, gpu);
  try {
    const record = (encoder: GPUCommandEncoder): void => {
      if (output !== null) compiled.encodeGradientClear(encoder);
      compiled.encodePhases(encoder, phases);
    };
    const { msPerRun, runs } = await timeRecorded(gpu.device, record, TARGET_MS[size]);
    return { name: workload.name, shape: workload.shape, flops: workload.flops, gflops: workload.flops / (msPerRun * 1e6), msPerRun, runs, timing: 'wall clock' };
  } finally {
    compiled.destroy();
  }
}
