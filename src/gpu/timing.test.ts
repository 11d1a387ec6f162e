// GPU timestamps around real compute passes when the device has 'timestamp-query' (Dawn on
// SwiftShader does), the explicit "unavailable" answer when it lacks it, and wall-clock timing.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireGpu, type GpuContext } from './device.ts';
import { PipelineCache } from './pipelines.ts';
import { createBindGroup, createBuffer, gpuStats, submit } from './stats.ts';
import { createTimestampTimer, timeSubmits } from './timing.ts';

let gpu: GpuContext;
let record: (encoder: GPUCommandEncoder, timestampWrites?: GPUComputePassTimestampWrites) => void;

beforeAll(async () => {
  gpu = await acquireGpu({ label: 'timing test' });
  const cache = new PipelineCache(gpu.device);
  const pipeline = await cache.get({
    label: 'busy',
    code: `// x: [256] f32, each element iterated 200 times
@group(0) @binding(0) var<storage, read_write> x: array<f32>;
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) id: vec3u) {
  var v = x[id.x];
  for (var i = 0u; i < 200u; i++) { v = v * 0.999 + 1.0; }
  x[id.x] = v;
}`,
  });
  const x = createBuffer(gpu.device, { size: 1024, usage: GPUBufferUsage.STORAGE });
  const entries = [{ binding: 0, resource: { buffer: x } }];
  const group = createBindGroup(gpu.device, { layout: pipeline.getBindGroupLayout(0), entries });
  record = (encoder, timestampWrites) => {
    const pass = encoder.beginComputePass(timestampWrites ? { timestampWrites } : {});
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, group);
    pass.dispatchWorkgroups(4);
    pass.end();
  };
});
afterAll(() => gpu.device.destroy());

describe('timing', () => {
  it('measures compute passes with GPU timestamps when the feature exists', async () => {
    const timer = createTimestampTimer(gpu.device, 2);
    if (!timer.available) {
      expect(gpu.features).not.toContain('timestamp-query');
      return;
    }
    const encoder = gpu.device.createCommandEncoder();
    record(encoder, timer.passWrites(0));
    record(encoder, timer.passWrites(1));
    timer.encodeResolve(encoder);
    submit(gpu.device, [encoder.finish()]);
    const nanoseconds = await timer.collect();
    expect(nanoseconds).toHaveLength(2);
    for (const ns of nanoseconds) expect(ns).toBeGreaterThan(0);
    expect(() => timer.passWrites(2)).toThrow(RangeError);
    timer.destroy();
  });

  it('says why timestamps are unavailable on a device without the feature', () => {
    const device = { features: new Set<string>() } as unknown as GPUDevice;
    const timer = createTimestampTimer(device, 1);
    expect(timer.available).toBe(false);
    if (!timer.available) expect(timer.reason).toMatch(/no 'timestamp-query' feature; use timeSubmits/);
  });

  it('times submits of a recorded workload in wall-clock time', async () => {
    const before = gpuStats(gpu.device).submits;
    const timing = await timeSubmits(gpu.device, (encoder) => record(encoder), 3, 1);
    expect(timing.submits).toBe(3);
    expect(timing.totalMs).toBeGreaterThan(0);
    expect(timing.msPerSubmit).toBeCloseTo(timing.totalMs / 3);
    expect(gpuStats(gpu.device).submits - before).toBe(4);
  });
});
