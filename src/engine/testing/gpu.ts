// One WebGPU device per process for kernel checks (Vitest files and selftest): Dawn in Node
// (SwiftShader on machines without a GPU), with its pipeline cache and the shaders loaded.

import { acquireGpu, type AdapterSummary } from '../../gpu/device.ts';
import { PipelineCache } from '../../gpu/pipelines.ts';
import type { EngineGpu } from '../compile.ts';
import { loadShaders } from '../shaderSource.ts';

export interface CheckGpu extends EngineGpu {
  readonly adapterInfo: AdapterSummary;
}

let shared: Promise<CheckGpu> | null = null;

export function testGpu(): Promise<CheckGpu> {
  shared ??= (async () => {
    await loadShaders();
    const { device, adapterInfo } = await acquireGpu({ label: 'kernel checks' });
    return { device, adapterInfo, pipelines: new PipelineCache(device) };
  })();
  return shared;
}
