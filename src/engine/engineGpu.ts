// The one way to get a GPU the engine can run on: the device (src/gpu/device.ts), its pipeline
// cache, and the kernel target its adapter calls for, which every graph for this device is traced
// with (new Graph(gpu.target)). The worker, the CLI, the kernel checks and the benches all start here.

import { kernelTargetFor } from '../config/kernelTarget.ts';
import { acquireGpu, type AcquireOptions, type GpuContext } from '../gpu/device.ts';
import { PipelineCache } from '../gpu/pipelines.ts';
import type { EngineGpu } from './compile.ts';

/** An EngineGpu with what device acquisition learnt about it (adapter identity, features, limits). */
export interface AcquiredEngineGpu extends EngineGpu, Pick<GpuContext, 'adapterInfo' | 'features' | 'limits' | 'runtime'> {}

export async function acquireEngineGpu(options: AcquireOptions = {}): Promise<AcquiredEngineGpu> {
  const { device, adapterInfo, features, limits, runtime } = await acquireGpu(options);
  return { device, adapterInfo, features, limits, runtime, pipelines: new PipelineCache(device), target: kernelTargetFor(adapterInfo) };
}
