// The pipeline cache on a real device: hits on identical source, entry point and constants, misses
// (sharing one shader module) when a constant changes, readable compile and link errors.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireGpu, type GpuContext } from './device.ts';
import { ShaderCompileError } from './errors.ts';
import { PipelineCache } from './pipelines.ts';
import { Readback } from './readback.ts';
import { createBindGroup, createBuffer, submit } from './stats.ts';

let gpu: GpuContext;
beforeAll(async () => {
  gpu = await acquireGpu({ label: 'pipelines test' });
});
afterAll(() => gpu.device.destroy());

const FILL = `// out: [4] f32, every element set to VALUE
@group(0) @binding(0) var<storage, read_write> out: array<f32>;
override VALUE: f32 = 1.0;
@compute @workgroup_size(4) fn main(@builtin(global_invocation_id) id: vec3u) { out[id.x] = VALUE; }
`;

async function runFill(pipeline: GPUComputePipeline): Promise<number[]> {
  const out = createBuffer(gpu.device, { size: 16, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
  const readback = new Readback(gpu.device, 16);
  const encoder = gpu.device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  pass.setPipeline(pipeline);
  const entries = [{ binding: 0, resource: { buffer: out } }];
  pass.setBindGroup(0, createBindGroup(gpu.device, { layout: pipeline.getBindGroupLayout(0), entries }));
  pass.dispatchWorkgroups(1);
  pass.end();
  readback.encodeCopy(encoder, out, 0, 16);
  submit(gpu.device, [encoder.finish()]);
  const values = [...(await readback.collect('f32'))];
  readback.destroy();
  out.destroy();
  return values;
}

async function compileError(promise: Promise<unknown>): Promise<ShaderCompileError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ShaderCompileError);
  return error as ShaderCompileError;
}

describe('PipelineCache', () => {
  it('returns the same pipeline for the same source, entry point and constants', async () => {
    const cache = new PipelineCache(gpu.device);
    const first = await cache.get({ code: FILL, constants: { VALUE: 2 }, label: 'fill' });
    const again = await cache.get({ code: FILL, entryPoint: 'main', constants: { VALUE: 2 }, label: 'fill, again' });
    expect(again).toBe(first);
    expect(cache.stats).toEqual({ modules: 1, pipelines: 1, hits: 1, misses: 1 });
  });

  it('builds a new pipeline from the same module when a constant changes', async () => {
    const cache = new PipelineCache(gpu.device);
    const [two, three] = await Promise.all([
      cache.get({ code: FILL, constants: { VALUE: 2 } }),
      cache.get({ code: FILL, constants: { VALUE: 3 } }),
    ]);
    expect(three).not.toBe(two);
    expect(cache.stats).toEqual({ modules: 1, pipelines: 2, hits: 0, misses: 2 });
    expect(await runFill(two)).toEqual([2, 2, 2, 2]);
    expect(await runFill(three)).toEqual([3, 3, 3, 3]);
  });

  it('reports a WGSL compile error with the label, position, source line and compiler message', async () => {
    const cache = new PipelineCache(gpu.device);
    const code = FILL.replace('out[id.x] = VALUE;', 'let n: u32 = 1.5; out[id.x] = VALUE;');
    const error = await compileError(cache.get({ code, label: 'fill_broken' }));
    expect(error.label).toBe('fill_broken');
    expect(error.messages[0]).toMatchObject({ type: 'error', line: 4 });
    expect(error.message).toContain('WGSL shader "fill_broken" failed (1 error)');
    expect(error.message).toMatch(/fill_broken:4:\d+ error: .*abstract-float.*u32/);
    expect(error.message).toContain('let n: u32 = 1.5;');
    // Failures are not cached: asking again compiles again and fails the same way.
    await compileError(cache.get({ code, label: 'fill_broken' }));
    expect(cache.stats.modules).toBe(0);
  });

  it('reports a link error, such as a missing entry point', async () => {
    const cache = new PipelineCache(gpu.device);
    const error = await compileError(cache.get({ code: FILL, entryPoint: 'forward', label: 'fill' }));
    expect(error.message).toMatch(/^WGSL shader "fill" failed \(1 error\):\n {2}error: .*forward/);
  });
});
