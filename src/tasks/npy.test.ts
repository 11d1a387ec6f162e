import { describe, expect, it } from 'vitest';
import { decodeNpy, encodeNpyInt64 } from './npy.ts';

/** Builds a .npy file by hand: magic, version, header length, header text, raw data bytes. */
function handMade(header: string, data: Uint8Array, version: [number, number] = [1, 0]): Uint8Array {
  const lenSize = version[0] === 1 ? 2 : 4;
  const out = new Uint8Array(8 + lenSize + header.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version[0], version[1]]);
  const view = new DataView(out.buffer);
  if (lenSize === 2) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[8 + lenSize + i] = header.charCodeAt(i);
  out.set(data, 8 + lenSize + header.length);
  return out;
}

function int64Bytes(values: readonly bigint[]): Uint8Array {
  const out = new Uint8Array(values.length * 8);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setBigInt64(8 * i, v, true));
  return out;
}

/** Pads a header dict the way numpy does: spaces, then '\n', so the data start is a multiple of `align`. */
function padded(dict: string, align: number): string {
  const pad = align - ((10 + dict.length + 1) % align);
  return dict + ' '.repeat(pad) + '\n';
}

describe('encodeNpyInt64', () => {
  it('writes exactly the bytes numpy 2.x np.save writes', () => {
    // np.save of np.arange(6, dtype='<i8').reshape(2, 3): 118-byte header (room for shape[0] to
    // grow to 21 digits, then padding), data at byte 128.
    const dict = "{'descr': '<i8', 'fortran_order': False, 'shape': (2, 3), }" + ' '.repeat(20);
    const expected = handMade(padded(dict, 64), int64Bytes([0n, 1n, 2n, 3n, 4n, 5n]));
    const bytes = encodeNpyInt64(Int32Array.from([0, 1, 2, 3, 4, 5]), [2, 3]);
    expect(bytes.length).toBe(128 + 48);
    expect([...bytes]).toEqual([...expected]);
  });

  it('round-trips negative values, the ignore index and int32 extremes', () => {
    const values = Int32Array.from([-100, 0, 7, -1, 2 ** 31 - 1, -(2 ** 31)]);
    for (const shape of [[6], [3, 2], [1, 6], [6, 1]]) {
      const bytes = encodeNpyInt64(values, shape);
      expect((10 + new DataView(bytes.buffer).getUint16(8, true)) % 64).toBe(0);
      const back = decodeNpy(bytes, 'x.npy');
      expect(back.shape).toEqual(shape);
      expect(back.dtype).toBe('<i8');
      expect([...back.data]).toEqual([...values]);
    }
  });

  it('round-trips an empty array', () => {
    const back = decodeNpy(encodeNpyInt64(new Int32Array(0), [0, 5]), 'e.npy');
    expect(back.shape).toEqual([0, 5]);
    expect(back.data.length).toBe(0);
  });

  it('rejects a shape that does not match the data', () => {
    expect(() => encodeNpyInt64(new Int32Array(5), [2, 3])).toThrow('needs 6 values, got 5');
  });
});

describe('decodeNpy', () => {
  const data = int64Bytes([1n, -100n, 3n, 4n, 5n, 6n]);

  it('reads a header written as numpy 1.x wrote it (16-byte alignment, no growth room)', () => {
    const header = padded("{'descr': '<i8', 'fortran_order': False, 'shape': (2, 3), }", 16);
    const arr = decodeNpy(handMade(header, data), 'old.npy');
    expect(arr.shape).toEqual([2, 3]);
    expect([...arr.data]).toEqual([1, -100, 3, 4, 5, 6]);
  });

  it('parses any key order, double quotes, no trailing comma, 1-tuples and Python 2 longs', () => {
    const headers = [
      '{"shape": (6,), "fortran_order": False, "descr": "<i8"}\n',
      "{ 'fortran_order' : False , 'shape' : ( 6 , ) , 'descr' : '<i8' , }   \n",
      "{'descr': '<i8', 'fortran_order': False, 'shape': (6L,), }\n",
    ];
    for (const h of headers) expect(decodeNpy(handMade(h, data), 'h.npy').shape).toEqual([6]);
    const twoD = "{'descr': '<i8', 'fortran_order': False, 'shape': (3L, 2L)}\n";
    expect(decodeNpy(handMade(twoD, data), 'h.npy').shape).toEqual([3, 2]);
  });

  it('reads version 2.0 headers and <i4 data', () => {
    const i4 = new Uint8Array(8);
    new DataView(i4.buffer).setInt32(0, -100, true);
    new DataView(i4.buffer).setInt32(4, 9, true);
    const arr = decodeNpy(handMade("{'descr': '<i4', 'fortran_order': False, 'shape': (1, 2), }\n", i4, [2, 0]), 'v2.npy');
    expect(arr.dtype).toBe('<i4');
    expect([...arr.data]).toEqual([-100, 9]);
  });

  const header = (descr: string, fortran = 'False', shape = '(2, 3)') =>
    `{'descr': ${descr}, 'fortran_order': ${fortran}, 'shape': ${shape}, }\n`;
  const cases: [string, Uint8Array, string][] = [
    ['bad magic', new TextEncoder().encode('inputs,targets\n1,2\n'), 'f.npy: not a .npy file (bad magic)'],
    ['big-endian', handMade(header("'>i8'"), data), 'f.npy: big-endian dtype >i8 not supported (expected <i8)'],
    ['object dtype', handMade(header("'|O'"), data), 'f.npy: object dtype |O not supported (expected <i8)'],
    ['float dtype', handMade(header("'<f4'"), data), 'f.npy: dtype <f4 not supported (expected <i8)'],
    ['structured dtype', handMade(header("[('a', '<i8')]"), data), 'f.npy: structured dtype not supported (expected <i8)'],
    ['fortran order', handMade(header("'<i8'", 'True'), data), 'f.npy: fortran_order is True (only C order is supported)'],
    ['bad shape', handMade(header("'<i8'", 'False', '(2, -3)'), data), 'f.npy: shape is not a tuple of non-negative integers'],
    ['missing key', handMade("{'descr': '<i8', 'shape': (6,)}\n", data), 'f.npy: header keys are {descr, shape}, expected {descr, fortran_order, shape}'],
    ['garbled header', handMade("{'descr': '<i8' 'shape'}\n", data), "f.npy: unreadable header (expected ',' or '}' at offset 16)"],
    ['truncated data', handMade(header("'<i8'"), data.subarray(0, 40)), 'f.npy: truncated data: shape (2, 3) needs 48 bytes, file has 40'],
    ['trailing bytes', handMade(header("'<i8'"), int64Bytes([1n, 2n, 3n, 4n, 5n, 6n, 7n])), 'f.npy: 8 unexpected bytes after the data of shape (2, 3)'],
    ['truncated header', handMade(header("'<i8'"), data).subarray(0, 30), 'f.npy: truncated header (needs 70 bytes, file has 30)'],
    ['out of int32 range', handMade(header("'<i8'", 'False', '(2,)'), int64Bytes([1n, 2n ** 31n])), 'f.npy: value 2147483648 at flat index 1 is outside the int32 range'],
  ];
  it.each(cases)('rejects %s with a one-line message', (_name, bytes, message) => {
    expect(() => decodeNpy(bytes, 'f.npy')).toThrow(new Error(message));
  });
});
