// Uniform layouts against WGSL's rules, the emitted declaration, value checks, and a GPU round trip:
// a shader compiled from the emitted struct reads every field back out, proving that the WGSL
// compiler places each member at the offset the schema computed.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireGpu, type GpuContext } from './device.ts';
import { PipelineCache } from './pipelines.ts';
import { Readback } from './readback.ts';
import { createBindGroup, createBuffer, submit } from './stats.ts';
import { defineUniformStruct } from './uniforms.ts';

let gpu: GpuContext;
beforeAll(async () => {
  gpu = await acquireGpu({ label: 'uniforms test' });
});
afterAll(() => gpu.device.destroy());

const Params = defineUniformStruct('Params', {
  n: 'u32',
  scale: 'f32',
  shift: 'vec2<f32>',
  k: 'i32',
  color: 'vec4<u32>',
  last: 'f32',
});

describe('defineUniformStruct', () => {
  it('places scalars at 4, vec2 at 8 and vec4 at 16-byte alignment, size rounded to 16', () => {
    expect(Params.offsets).toEqual({ n: 0, scale: 4, shift: 8, k: 16, color: 32, last: 48 });
    expect(Params.byteSize).toBe(64);
    expect(defineUniformStruct('One', { x: 'u32' }).byteSize).toBe(16);
    expect(defineUniformStruct('Pad', { a: 'f32', b: 'vec2<i32>', c: 'f32' }).offsets).toEqual({ a: 0, b: 8, c: 16 });
  });

  it('emits the WGSL declaration from the same schema', () => {
    expect(Params.wgsl).toBe(
      'struct Params {\n' +
        '  n: u32, // offset 0\n' +
        '  scale: f32, // offset 4\n' +
        '  shift: vec2<f32>, // offset 8\n' +
        '  k: i32, // offset 16\n' +
        '  color: vec4<u32>, // offset 32\n' +
        '  last: f32, // offset 48\n' +
        '}\n',
    );
  });

  it('packs values little-endian at their offsets, into a caller buffer when given', () => {
    const target = new ArrayBuffer(Params.byteSize);
    const bytes = Params.pack({ n: 7, scale: 0.5, shift: [1, -2], k: -3, color: [1, 2, 3, 4], last: 9 }, target);
    expect(bytes).toBe(target);
    const view = new DataView(bytes);
    expect(view.getUint32(0, true)).toBe(7);
    expect(view.getFloat32(4, true)).toBe(0.5);
    expect(view.getFloat32(12, true)).toBe(-2);
    expect(view.getInt32(16, true)).toBe(-3);
    expect(view.getUint32(44, true)).toBe(4);
    expect(view.getFloat32(48, true)).toBe(9);
  });

  it('rejects values that do not fit their type, and bad names', () => {
    const ok = { n: 1, scale: 1, shift: [0, 0], k: 0, color: [0, 0, 0, 0], last: 0 } as const;
    expect(() => Params.pack({ ...ok, n: 1.5 })).toThrow(/Params.n: 1.5 is not a valid u32/);
    expect(() => Params.pack({ ...ok, n: -1 })).toThrow(RangeError);
    expect(() => Params.pack({ ...ok, k: 2 ** 31 })).toThrow(RangeError);
    expect(() => Params.pack(ok, new ArrayBuffer(16))).toThrow(/needs 64/);
    expect(() => defineUniformStruct('Bad', { 'not-an-id': 'u32' })).toThrow(/valid WGSL identifier/);
    expect(() => defineUniformStruct('Empty', {})).toThrow(/no fields/);
  });

  it('matches the layout the WGSL compiler gives the emitted struct', async () => {
    const code = `${Params.wgsl}
@group(0) @binding(0) var<uniform> p: Params;
// out: [16] u32, the struct's 16 words as the shader sees them (padding left 0)
@group(0) @binding(1) var<storage, read_write> out: array<u32, 16>;
@compute @workgroup_size(1) fn main() {
  out[0] = p.n;
  out[1] = bitcast<u32>(p.scale);
  out[2] = bitcast<u32>(p.shift.x);
  out[3] = bitcast<u32>(p.shift.y);
  out[4] = bitcast<u32>(p.k);
  for (var i = 0u; i < 4u; i++) { out[8u + i] = p.color[i]; }
  out[12] = bitcast<u32>(p.last);
}`;
    const cache = new PipelineCache(gpu.device);
    const pipeline = await cache.get({ code, label: 'uniform_layout' });
    const packed = Params.pack({ n: 7, scale: 0.25, shift: [1.5, -2], k: -3, color: [11, 12, 13, 14], last: 1e-3 });
    const uniform = createBuffer(gpu.device, {
      size: Params.byteSize,
      usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
    });
    const out = createBuffer(gpu.device, { size: 64, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
    gpu.device.queue.writeBuffer(uniform, 0, packed);
    const readback = new Readback(gpu.device, 64);
    const encoder = gpu.device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    const entries = [
      { binding: 0, resource: { buffer: uniform } },
      { binding: 1, resource: { buffer: out } },
    ];
    pass.setBindGroup(0, createBindGroup(gpu.device, { layout: cache.bindGroupLayout(pipeline), entries }));
    pass.dispatchWorkgroups(1);
    pass.end();
    readback.encodeCopy(encoder, out, 0, 64);
    submit(gpu.device, [encoder.finish()]);
    expect([...(await readback.collect('u32'))]).toEqual([...new Uint32Array(packed)]);
  });
});
