// The GPU check's benchmark, after the kernel checks: the kernels MAD's models spend their time in
// (gpuBenchmarkKernels.ts: matmul, fused attention, FFT convolution, selective scan) and one whole
// training step of each of the paper's architectures (gpuBenchmarkSteps.ts), at MAD's shapes
// ('mad') or small ones ('small', for e2e tests on SwiftShader), each timed by wall clock
// (gpuBenchmarkTiming.ts), with a progress call before each.

import type { EngineGpu } from '../engine/compile.ts';
import type { GpuBenchmarkResult, GpuStepBenchmarkResult } from './gpuCheckApi.ts';
import { benchmarkKernel, kernelWorkloads, type BenchmarkSize } from './gpuBenchmarkKernels.ts';
import { benchmarkStep, stepWorkloads } from './gpuBenchmarkSteps.ts';

export type { BenchmarkSize };

export interface BenchmarkResults {
  kernels: GpuBenchmarkResult[];
  steps: GpuStepBenchmarkResult[];
}

/** `onNext(done, total, name)` before each benchmark runs. */
export async function runBenchmarks(gpu: EngineGpu, size: BenchmarkSize, onNext: (done: number, total: number, name: string) => void = () => {}): Promise<BenchmarkResults> {
  const kernels = kernelWorkloads(size);
  const steps = stepWorkloads(size);
  const total = kernels.length + steps.length;
  const results: BenchmarkResults = { kernels: [], steps: [] };
  for (const w of kernels) {
    onNext(results.kernels.length, total, w.name);
    results.kernels.push(await benchmarkKernel(gpu, w, size));
  }
  for (const w of steps) {
    onNext(kernels.length + results.steps.length, total, `training step: ${w.name}`);
    results.steps.push(await benchmarkStep(gpu, w, size));
  }
  return results;
}
