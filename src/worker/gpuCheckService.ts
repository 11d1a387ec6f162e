// The GPU check worker's logic: names the adapter of the kernel-check device (and the key its
// result is kept under), runs the suite of the requested mode for its kernel target (or both) with
// a progress call per check, then the benchmark. One run at a time: a second request waits.

import { KERNEL_TARGETS } from '../config/kernelTarget.ts';
import type { AcquiredEngineGpu } from '../engine/engineGpu.ts';
import { describeAdapterIdentity, failedKernels, gpuCheckKey, runCheckSuite, suiteChecks } from '../engine/ops/checkSuite.ts';
import { testGpu } from '../engine/testing/gpu.ts';
import { benchmarkMatmul } from './gpuBenchmark.ts';
import type { GpuCheckIdentity, GpuCheckProgress, GpuCheckReport, GpuCheckRequest, GpuCheckWorkerApi } from './gpuCheckApi.ts';

export function identityOf(gpu: AcquiredEngineGpu): GpuCheckIdentity {
  const info = gpu.adapterInfo;
  const { key, buildHash } = gpuCheckKey(info);
  return {
    adapter: describeAdapterIdentity(info),
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    isFallbackAdapter: info.isFallbackAdapter,
    subgroupMinSize: info.subgroupMinSize ?? null,
    subgroupMaxSize: info.subgroupMaxSize ?? null,
    limits: { ...gpu.limits },
    features: [...gpu.features],
    target: gpu.target,
    buildHash,
    key,
  };
}

export class GpuCheckService implements GpuCheckWorkerApi {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly gpu: () => Promise<AcquiredEngineGpu> = testGpu) {}

  async identify(): Promise<GpuCheckIdentity> {
    return identityOf(await this.gpu());
  }

  run(request: GpuCheckRequest, onProgress: (progress: GpuCheckProgress) => void): Promise<GpuCheckReport> {
    const next = this.queue.then(() => this.runNow(request, onProgress));
    this.queue = next.catch(() => {});
    return next;
  }

  private async runNow(request: GpuCheckRequest, onProgress: (progress: GpuCheckProgress) => void): Promise<GpuCheckReport> {
    const start = performance.now();
    const gpu = await this.gpu();
    const identity = identityOf(gpu);
    const targets = request.bothTargets ? [identity.target, ...KERNEL_TARGETS.filter((t) => t !== identity.target)] : [identity.target];
    const results = await runCheckSuite(suiteChecks(request.mode), {
      targets,
      fault: request.fault,
      onResult: (last, done, total) => onProgress({ done, total, last }),
    });
    const benchmarks = request.benchmark === 'none' ? [] : [await benchmarkMatmul(gpu, request.benchmark)];
    return {
      identity,
      request,
      results,
      benchmarks,
      failedKernels: failedKernels(results),
      seconds: (performance.now() - start) / 1000,
      finishedAt: new Date().toISOString(),
    };
  }
}
