import { describe, expect, it } from 'vitest';
import { readSafetensors, readSafetensorsHeader, writeSafetensors } from './safetensors.ts';

/** A file from a raw header object and data bytes, for malformed cases the writer would never produce. */
function rawFile(header: unknown, data: Uint8Array, headerLength?: number): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength ?? json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const f32 = (...values: number[]): Uint8Array => new Uint8Array(Float32Array.from(values).buffer);

describe('safetensors', () => {
  it('round-trips F32 tensors and metadata bit for bit', () => {
    const a = Float32Array.from([1.5, -0, Number.MIN_VALUE, 3.4e38, NaN, 1 / 3]);
    const b = Float32Array.from([7]);
    const bytes = writeSafetensors(
      [
        { name: 'a', shape: [2, 3], data: a },
        { name: 'b.weight', shape: [1], data: b },
      ],
      { seed: '3' },
    );
    expect((8 + Number(new DataView(bytes.buffer).getBigUint64(0, true))) % 8).toBe(0);
    const read = readSafetensors(bytes);
    expect(read.metadata).toEqual({ seed: '3' });
    expect(read.tensors.map((t) => [t.name, t.dtype, t.shape])).toEqual([
      ['a', 'F32', [2, 3]],
      ['b.weight', 'F32', [1]],
    ]);
    expect(new Uint32Array(read.tensors[0]!.data.buffer)).toEqual(new Uint32Array(a.buffer));
  });

  it('widens F16 and BF16 exactly and rounds F64', () => {
    const f16 = new Uint8Array(new Uint16Array([0x3c00, 0xc000, 0x0001, 0x7c00]).buffer); // 1, −2, 2^−24, +∞
    const bf16 = new Uint8Array(new Uint16Array([0x3f80, 0x4049]).buffer); // 1, 3.140625
    const f64 = new Uint8Array(Float64Array.from([0.1]).buffer);
    const data = new Uint8Array([...f16, ...bf16, ...f64]);
    const file = rawFile(
      {
        h: { dtype: 'F16', shape: [4], data_offsets: [0, 8] },
        b: { dtype: 'BF16', shape: [2], data_offsets: [8, 12] },
        d: { dtype: 'F64', shape: [1], data_offsets: [12, 20] },
      },
      data,
    );
    const byName = Object.fromEntries(readSafetensors(file).tensors.map((t) => [t.name, [...t.data]]));
    expect(byName.h).toEqual([1, -2, 2 ** -24, Infinity]);
    expect(byName.b).toEqual([1, 3.140625]);
    expect(byName.d).toEqual([Math.fround(0.1)]);
  });

  const refusals: [string, Uint8Array, RegExp][] = [
    ['a file shorter than the length field', new Uint8Array(5), /5 bytes, too short/],
    ['a header length past the end (truncated)', rawFile({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, f32(1), 500), /header length says 500 bytes, but only/],
    ['a header length beyond the cap', rawFile({}, new Uint8Array(0), 2 ** 40), /more than the 16,777,216/],
    ['a header that is not JSON', rawFile('{"a": ', new Uint8Array(0)), /not valid JSON/],
    ['an unsupported dtype', rawFile({ a: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, new Uint8Array(8)), /tensor 'a': dtype 'I64' is not supported/],
    ['a shape that does not fit the bytes', rawFile({ a: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, new Uint8Array(8)), /tensor 'a': shape \[3\] of F32 needs 12 bytes, but data_offsets span 8/],
    [
      'overlapping offsets',
      rawFile({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, f32(1, 2)),
      /tensor 'b' \(bytes 4–8\) overlaps 'a'/,
    ],
    ['a gap in the data', rawFile({ a: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, f32(1, 2)), /bytes 0–4 of the data belong to no tensor/],
    ['data left over after the tensors', rawFile({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, f32(1, 2)), /cover 4 bytes of data, but 8 follow/],
    ['offsets past the data', rawFile({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, f32(1)), /tensor 'a': data_offsets \[0, 8\] run past the end/],
    ['a duplicate name', rawFile('{"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}, "a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}', f32(1)), /tensor 'a' appears twice/],
    ['metadata that is not strings', rawFile({ __metadata__: { seed: 3 } }, new Uint8Array(0)), /'__metadata__.seed' must be a string/],
    ['a negative dimension', rawFile({ a: { dtype: 'F32', shape: [-1], data_offsets: [0, 0] } }, new Uint8Array(0)), /tensor 'a': 'shape' must be a list of non-negative integers/],
  ];
  for (const [what, file, message] of refusals) {
    it(`refuses ${what}, naming what is wrong`, () => {
      expect(() => readSafetensorsHeader(file, 'w.safetensors')).toThrow(message);
      expect(() => readSafetensorsHeader(file, 'w.safetensors')).toThrow(/^w\.safetensors: /);
    });
  }
});
