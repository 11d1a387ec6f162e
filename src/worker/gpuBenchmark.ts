// The GPU check's benchmark: throughput of the matmul every linear layer runs, at MAD's shape
// (batch 32 × length 128 rows, width 128 into 4·128, the MLP's first projection) or a small one
// for e2e tests, timed as training submits work (back to back, awaited once) by wall clock: the
// engine's compute pass takes no timestamp writes.

import { compileGraph, type EngineGpu } from '../engine/compile.ts';
import { Graph } from '../engine/graph.ts';
import { matmul } from '../engine/ops/matmul/matmul.ts';
import { asF32, randomArray } from '../engine/testing/random.ts';
import { timeSubmits } from '../gpu/timing.ts';
import type { GpuBenchmarkResult } from './gpuCheckApi.ts';

const SHAPES = {
  small: { M: 256, N: 512, K: 128 },
  mad: { M: 32 * 128, N: 512, K: 128 },
} as const;

/** Enough submits for about this long once one has been timed, so a fast GPU is not timed on noise. */
const TARGET_MS = { small: 50, mad: 500 } as const;
const MAX_RUNS = 200;

export async function benchmarkMatmul(gpu: EngineGpu, size: 'small' | 'mad'): Promise<GpuBenchmarkResult> {
  const { M, N, K } = SHAPES[size];
  const g = new Graph(gpu.target);
  const a = g.input([M, K], 'f32', 'a', asF32(randomArray(M * K, 1)).f32);
  const b = g.input([K, N], 'f32', 'b', asF32(randomArray(K * N, 2)).f32);
  matmul(g, a, b);
  const compiled = await compileGraph(g, gpu);
  try {
    const record = (encoder: GPUCommandEncoder) => compiled.encodePhases(encoder, ['forward']);
    const probe = await timeSubmits(gpu.device, record, 1, 1);
    const runs = Math.max(1, Math.min(MAX_RUNS, Math.ceil(TARGET_MS[size] / Math.max(probe.msPerSubmit, 1e-3))));
    const timed = await timeSubmits(gpu.device, record, runs, 0);
    return {
      name: 'matmul forward',
      shape: `${M}×${N}×${K}`,
      gflops: (2 * M * N * K) / (timed.msPerSubmit * 1e6),
      msPerRun: timed.msPerSubmit,
      runs,
      timing: 'wall clock',
    };
  } finally {
    compiled.destroy();
  }
}
