// The page's GPU check worker (worker/gpuCheck.worker.ts): names this browser's adapter and runs the
// kernel checks and the benchmark on it, off the page's thread. Started on the first request; a
// worker that dies fails the pending request and is replaced by the next one.

import { proxy, wrap, type Remote } from 'comlink';
import type { GpuCheckIdentity, GpuCheckProgress, GpuCheckReport, GpuCheckRequest, GpuCheckWorkerApi } from '../worker/gpuCheckApi.ts';

interface GpuCheckWorker {
  worker: Worker;
  api: Remote<GpuCheckWorkerApi>;
  died: Promise<never>;
}

let current: GpuCheckWorker | null = null;

function startWorker(): GpuCheckWorker {
  const worker = new Worker(new URL('../worker/gpuCheck.worker.ts', import.meta.url), { type: 'module', name: 'mad-lab-gpu-check' });
  const died = new Promise<never>((_, reject) => {
    const stop = (reason: string) => {
      if (current?.worker === worker) current = null;
      worker.terminate();
      reject(new Error(`The GPU check worker stopped (${reason}): reload the page and run the check again.`));
    };
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      stop(event.message || 'its script failed to load or threw');
    });
    worker.addEventListener('messageerror', () => stop('it sent a message the page could not read'));
  });
  died.catch(() => {});
  return { worker, api: wrap<GpuCheckWorkerApi>(worker), died };
}

function call<T>(request: (api: Remote<GpuCheckWorkerApi>) => Promise<T>): Promise<T> {
  const target = (current ??= startWorker());
  return Promise.race([request(target.api), target.died]);
}

/** The adapter the checks run on and the key its result is kept under. */
export function identifyGpu(): Promise<GpuCheckIdentity> {
  return call((api) => api.identify());
}

export function runGpuCheck(request: GpuCheckRequest, onProgress: (progress: GpuCheckProgress) => void): Promise<GpuCheckReport> {
  return call((api) => api.run(request, proxy(onProgress)));
}
