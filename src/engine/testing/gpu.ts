// One WebGPU device per process for kernel checks (Vitest files and selftest): Dawn in Node
// (SwiftShader on machines without a GPU), with its pipeline cache, the shaders loaded and
// the matmul kernel chosen for the adapter (so selftest on a real GPU checks the tiled one).

import { acquireGpu, type AdapterSummary } from '../../gpu/device.ts';
import { PipelineCache } from '../../gpu/pipelines.ts';
import type { EngineGpu } from '../compile.ts';
import { matmulVariantFor, setMatmulVariant } from '../ops/matmul/matmul.ts';

export interface CheckGpu extends EngineGpu {
  readonly adapterInfo: AdapterSummary;
}

let shared: Promise<CheckGpu> | null = null;

export function testGpu(): Promise<CheckGpu> {
  shared ??= (async () => {
    const { device, adapterInfo } = await acquireGpu({ label: 'kernel checks' });
    setMatmulVariant(matmulVariantFor(adapterInfo));
    return { device, adapterInfo, pipelines: new PipelineCache(device) };
  })();
  return shared;
}
