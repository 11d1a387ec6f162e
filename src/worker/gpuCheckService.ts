// The GPU check worker's logic: names the adapter of the kernel-check device (and the key its
// result is kept under), runs the suite of the requested mode for its kernel target (or both) with
// a progress call per check, then the benchmark and the adapter's training speed. One run at a time: a second request waits.

import { KERNEL_TARGETS } from '../config/kernelTarget.ts';
import type { AcquiredEngineGpu } from '../engine/engineGpu.ts';
import { describeAdapterIdentity, failedKernels, gpuCheckKey, runCheckSuite, suiteChecks } from '../engine/ops/checkSuite.ts';
import { testGpu } from '../engine/testing/gpu.ts';
import { measureAdapterSpeed } from './adapterSpeed.ts';
import { runBenchmarks } from './gpuBenchmark.ts';
import type { AdapterSpeed, GpuCheckIdentity, GpuCheckProgress, GpuCheckReport, GpuCheckRequest, GpuCheckWorkerApi } from './gpuCheckApi.ts';

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
    return this.enqueue(() => this.runNow(request, onProgress));
  }

  measureSpeed(): Promise<AdapterSpeed> {
    return this.enqueue(async () => measureAdapterSpeed(await this.gpu()));
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => {});
    return next;
  }

  private async runNow(request: GpuCheckRequest, onProgress: (progress: GpuCheckProgress) => void): Promise<GpuCheckReport> {
    const start = performance.now();
    const gpu = await this.gpu();
    const identity = identityOf(gpu);
    const targets = request.bothTargets ? [identity.target, ...KERNEL_TARGETS.filter((t) => t !== identity.target)] : [identity.target];
    const results = await runCheckSuite(suiteChecks(request.mode, request.madShapes ?? false), {
      targets,
      fault: request.fault,
      onResult: (last, done, total) => onProgress({ phase: 'checks', done, total, last }),
    });
    const timed =
      request.benchmark === 'none'
        ? { kernels: [], steps: [] }
        : await runBenchmarks(gpu, request.benchmark, (done, total, next) => onProgress({ phase: 'benchmark', done, total, next }));
    const failed = failedKernels(results);
    // Every ETA reads this speed; an adapter that computes wrongly, or a planted fault, is not timed.
    const speed = request.measureSpeed && failed.length === 0 && request.fault === null ? await measureAdapterSpeed(gpu) : null;
    return {
      identity,
      request,
      results,
      benchmarks: timed.kernels,
      stepBenchmarks: timed.steps,
      speed,
      failedKernels: failed,
      seconds: (performance.now() - start) / 1000,
      finishedAt: new Date().toISOString(),
    };
  }
}
