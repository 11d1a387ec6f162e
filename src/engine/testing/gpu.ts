// One WebGPU device per test file (Dawn in Node; SwiftShader on machines without a GPU),
// with its pipeline cache and the shaders loaded.

import { acquireGpu } from '../../gpu/device.ts';
import { PipelineCache } from '../../gpu/pipelines.ts';
import type { EngineGpu } from '../compile.ts';
import { loadShaders } from '../shaderSource.ts';

let shared: Promise<EngineGpu> | null = null;

export function testGpu(): Promise<EngineGpu> {
  shared ??= (async () => {
    await loadShaders();
    const { device } = await acquireGpu({ label: 'test' });
    return { device, pipelines: new PipelineCache(device) };
  })();
  return shared;
}
