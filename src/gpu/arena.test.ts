// The arena on a real device: aligned, non-overlapping slices; new blocks only when one is full;
// scoped temporaries that reuse memory without creating buffers; slices usable as bindings.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BufferArena, type ArenaSlice } from './arena.ts';
import { acquireGpu, type GpuContext } from './device.ts';
import { withErrorScope } from './deviceErrors.ts';
import { PipelineCache } from './pipelines.ts';
import { Readback } from './readback.ts';
import { createBindGroup, gpuStats, submit } from './stats.ts';

let gpu: GpuContext;
beforeAll(async () => {
  gpu = await acquireGpu({ label: 'arena test' });
});
afterAll(() => gpu.device.destroy());

function expectDisjoint(slices: readonly ArenaSlice[]): void {
  for (const a of slices) {
    for (const b of slices) {
      if (a === b || a.buffer !== b.buffer) continue;
      expect(a.offset + a.size <= b.offset || b.offset + b.size <= a.offset).toBe(true);
    }
  }
}

describe('BufferArena', () => {
  it('aligns every slice to minStorageBufferOffsetAlignment and rounds sizes to 4 bytes', () => {
    const arena = new BufferArena(gpu.device, { blockBytes: 4096 });
    const slices = [arena.alloc(4, 'a'), arena.alloc(100, 'b'), arena.alloc(1001, 'c'), arena.alloc(8, 'd')];
    expect(arena.alignment).toBe(gpu.limits.minStorageBufferOffsetAlignment);
    expect(slices.map((s) => s.offset % arena.alignment)).toEqual([0, 0, 0, 0]);
    expect(slices.map((s) => s.size)).toEqual([4, 100, 1004, 8]);
    expect(new Set(slices.map((s) => s.buffer)).size).toBe(1);
    expectDisjoint(slices);
    expect(arena.stats).toMatchObject({ buffersCreated: 1, bytesReserved: 4096, allocations: 4 });
    arena.destroy();
  });

  it('opens a block when one is full and gives an oversized slice a block of its own', () => {
    const arena = new BufferArena(gpu.device, { blockBytes: 1024 });
    const small = [arena.alloc(512, 'a'), arena.alloc(512, 'b'), arena.alloc(512, 'c')];
    const big = arena.alloc(5000, 'big');
    expect(small[0]?.buffer).toBe(small[1]?.buffer);
    expect(small[2]?.buffer).not.toBe(small[0]?.buffer);
    expect(big.buffer.size).toBeGreaterThanOrEqual(5000);
    expect(arena.stats.buffersCreated).toBe(3);
    expectDisjoint([...small, big]);
    expect(() => arena.alloc(0, 'empty')).toThrow(RangeError);
    arena.destroy();
  });

  it('reuses the memory of scoped temporaries without creating buffers after warm-up', () => {
    const arena = new BufferArena(gpu.device, { blockBytes: 2048 });
    const weights = arena.alloc(1500, 'weights');
    const step = (): ArenaSlice[] => {
      const mark = arena.mark();
      const temporaries = [arena.alloc(700, 'act'), arena.alloc(900, 'grad'), arena.alloc(300, 'tmp')];
      expect(arena.stats.allocations).toBe(4);
      arena.reset(mark);
      return temporaries;
    };
    const warmup = step();
    const before = gpuStats(gpu.device);
    for (let i = 0; i < 3; i++) {
      const again = step();
      expect(again.map((s) => [s.buffer, s.offset])).toEqual(warmup.map((s) => [s.buffer, s.offset]));
    }
    expect(gpuStats(gpu.device).buffersCreated).toBe(before.buffersCreated);
    expect(arena.stats).toMatchObject({ allocations: 1, bytesUsed: 1500 });
    expect(arena.stats.peakBytesUsed).toBeGreaterThan(1500);
    expectDisjoint([weights, ...warmup]);
    arena.reset();
    expect(arena.alloc(16, 'first').offset).toBe(0);
    arena.destroy();
  });

  it('binds slices directly and keeps their contents apart', async () => {
    const arena = new BufferArena(gpu.device, { blockBytes: 4096 });
    const a = arena.alloc(16, 'a');
    const b = arena.alloc(16, 'b');
    const pipelines = new PipelineCache(gpu.device);
    const pipeline = await pipelines.get({
      label: 'add_one',
      code: `@group(0) @binding(0) var<storage, read_write> x: array<f32>;
@compute @workgroup_size(4) fn main(@builtin(global_invocation_id) id: vec3u) { x[id.x] += 1.0; }`,
    });
    gpu.device.queue.writeBuffer(a.buffer, a.offset, new Float32Array([1, 2, 3, 4]));
    gpu.device.queue.writeBuffer(b.buffer, b.offset, new Float32Array([10, 20, 30, 40]));
    const readback = new Readback(gpu.device, 16);
    await withErrorScope(gpu.device, 'dispatch on an arena slice', () => {
      const layout = pipelines.bindGroupLayout(pipeline);
      const group = createBindGroup(gpu.device, { layout, entries: [{ binding: 0, resource: a }] });
      const encoder = gpu.device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, group);
      pass.dispatchWorkgroups(1);
      pass.end();
      readback.encodeCopy(encoder, a.buffer, a.offset, 16);
      readback.encodeCopy(encoder, b.buffer, b.offset, 16);
      submit(gpu.device, [encoder.finish()]);
    });
    expect([...(await readback.collect('f32'))]).toEqual([2, 3, 4, 5]);
    expect([...(await readback.collect('f32'))]).toEqual([10, 20, 30, 40]);
    readback.destroy();
    arena.destroy();
  });
});
