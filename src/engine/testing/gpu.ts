// One WebGPU device per process for kernel checks (Vitest files and selftest): Dawn in Node (on
// machines without a GPU Mesa's lavapipe where installed, else SwiftShader; MAD_NODE_GPU forces one,
// see src/gpu/nodeGpu.ts), acquired as everything else acquires one (acquireEngineGpu), so graphs
// traced with its target check the kernels this adapter runs.

import type { KernelTarget } from '../../config/kernelTarget.ts';
import { acquireEngineGpu, type AcquiredEngineGpu } from '../engineGpu.ts';

let shared: Promise<AcquiredEngineGpu> | null = null;
/** Set by the GPU check to check the other kernel family on this adapter too; null: the adapter's own. */
let targetOverride: KernelTarget | null = null;

export function testGpu(): Promise<AcquiredEngineGpu> {
  shared ??= acquireEngineGpu({ label: 'kernel checks' });
  const target = targetOverride;
  return target === null ? shared : shared.then((gpu) => ({ ...gpu, target }));
}

/** Traces the following checks for `target` (null: the adapter's own target again). */
export function setKernelCheckTarget(target: KernelTarget | null): void {
  targetOverride = target;
}
