// One WebGPU device per process for kernel checks (Vitest files and selftest): Dawn in Node
// (SwiftShader on machines without a GPU), acquired as everything else acquires one
// (acquireEngineGpu), so graphs traced with its target check the kernels this adapter runs.

import { acquireEngineGpu, type AcquiredEngineGpu } from '../engineGpu.ts';

let shared: Promise<AcquiredEngineGpu> | null = null;

export function testGpu(): Promise<AcquiredEngineGpu> {
  shared ??= acquireEngineGpu({ label: 'kernel checks' });
  return shared;
}
