// How many training workers to run side by side. Each worker owns a GPU device and a JavaScript
// thread that records and submits its steps, so concurrency is bounded by both: CPU adapters
// (SwiftShader, llvmpipe, any fallback adapter) compute on the same cores as the page, where a
// second worker only halves the speed of the first, and adapters with small buffer limits have
// no room for two models; real GPUs get one worker per two spare cores, at most MAX_WORKERS.
// WebGPU does not expose memory size, so the storage-binding limit stands in for "room".

export const MAX_WORKERS = 4;
/** Below this maxStorageBufferBindingSize an adapter is treated as too small for two models. */
export const ROOMY_BINDING_BYTES = 1 << 30;

export interface AdapterRoom {
  /** Vendor, architecture, device and description joined; empty when unknown. */
  description: string;
  isFallbackAdapter: boolean;
  maxStorageBufferBindingSize: number;
}

export function trainingWorkerCount(hardwareConcurrency: number, adapter: AdapterRoom | null): number {
  if (adapter === null) return 1;
  const cpuAdapter = adapter.isFallbackAdapter || /swiftshader|llvmpipe|lavapipe|software/i.test(adapter.description);
  if (cpuAdapter || adapter.maxStorageBufferBindingSize < ROOMY_BINDING_BYTES) return 1;
  // One core stays with the page (React, charts, IndexedDB).
  const spareCores = Math.max(0, Math.floor(hardwareConcurrency) - 1);
  return Math.min(MAX_WORKERS, Math.max(1, Math.floor(spareCores / 2)));
}
