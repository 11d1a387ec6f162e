// The page's GPU check worker (worker/gpuCheck.worker.ts): names this browser's adapter and runs the
// kernel checks and the benchmark on it, off the page's thread. Started on the first request; a
// worker that dies fails the pending request and is replaced by the next one.

import { proxy } from 'comlink';
import type { AdapterSpeed, GpuCheckIdentity, GpuCheckProgress, GpuCheckReport, GpuCheckRequest, GpuCheckWorkerApi } from '../worker/gpuCheckApi.ts';
import { onDemandWorker } from './onDemandWorker.ts';

const gpuCheck = onDemandWorker<GpuCheckWorkerApi>(
  () => new Worker(new URL('../worker/gpuCheck.worker.ts', import.meta.url), { type: 'module', name: 'mad-lab-gpu-check' }),
  'GPU check worker',
  'reload the page and run the check again.',
);

/** The adapter the checks run on and the key its result is kept under. */
export function identifyGpu(): Promise<GpuCheckIdentity> {
  return gpuCheck.call((api) => api.identify());
}

export function runGpuCheck(request: GpuCheckRequest, onProgress: (progress: GpuCheckProgress) => void): Promise<GpuCheckReport> {
  return gpuCheck.call((api) => api.run(request, proxy(onProgress)));
}

/** The adapter's training speed, timed in the worker after the checks passed. */
export function measureGpuSpeed(): Promise<AdapterSpeed> {
  return gpuCheck.call((api) => api.measureSpeed());
}
