// numpy .npy files for mad-lab's on-disk datasets: int64 arrays (mad-lab's dtype) held in memory as
// Int32Array, since every token id and the ignore index fit in int32. Pure bytes in and out, so the
// browser can import files too; errors are one line naming the source and what is wrong.

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const ARRAY_ALIGN = 64; // numpy ≥ 1.14 aligns data to 64 bytes (older files use 16; readers need neither)
const GROWTH_AXIS_MAX_DIGITS = 21; // numpy leaves room to rewrite shape[0] in place; copied for byte-identical files

/** Little-endian signed integer dtypes we read; '<i8' is what mad-lab writes. */
export type NpyDtype = '<i8' | '<i4';
const ITEM_SIZE: Record<NpyDtype, number> = { '<i8': 8, '<i4': 4 };

export interface NpyArray {
  dtype: NpyDtype;
  shape: number[];
  /** C-order values. */
  data: Int32Array;
}

/** Encodes a C-order array as a '<i8' .npy v1.0 file, byte-identical to numpy's np.save. */
export function encodeNpyInt64(data: Int32Array, shape: readonly number[]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new Error(`npy: shape ${formatShape(shape)} needs ${count} values, got ${data.length}`);
  let dict = `{'descr': '<i8', 'fortran_order': False, 'shape': ${formatShape(shape)}, }`;
  if (shape.length > 0) dict += ' '.repeat(GROWTH_AXIS_MAX_DIGITS - String(shape[0]).length);
  // numpy pads with 1..64 spaces (never 0) before the final newline.
  const padLen = ARRAY_ALIGN - ((MAGIC.length + 4 + dict.length + 1) % ARRAY_ALIGN);
  const header = dict + ' '.repeat(padLen) + '\n';
  const dataStart = MAGIC.length + 4 + header.length;
  const bytes = new Uint8Array(dataStart + count * 8);
  bytes.set(MAGIC, 0);
  bytes[6] = 1; // version 1.0
  bytes[7] = 0;
  const view = new DataView(bytes.buffer);
  view.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) bytes[10 + i] = header.charCodeAt(i);
  for (let i = 0, off = dataStart; i < count; i++, off += 8) {
    const v = data[i]!;
    view.setInt32(off, v, true);
    view.setInt32(off + 4, v < 0 ? -1 : 0, true); // sign extension
  }
  return bytes;
}

/** A shape as Python writes the tuple: (3,), (2, 3), (). */
export function formatShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** Decodes a .npy file; `source` (usually the path) starts every error message. */
export function decodeNpy(bytes: Uint8Array, source: string): NpyArray {
  const fail = (what: string): never => {
    throw new Error(`${source}: ${what}`);
  };
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) fail('not a .npy file (bad magic)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6]!;
  if (major < 1 || major > 3) fail(`unsupported .npy version ${major}.${bytes[7]}`);
  // Version 1 has a uint16 header length, versions 2 and 3 a uint32.
  const lenSize = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lenSize) fail('truncated header');
  const headerLen = lenSize === 2 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataStart = 8 + lenSize + headerLen;
  if (bytes.length < dataStart) fail(`truncated header (needs ${dataStart} bytes, file has ${bytes.length})`);
  const headerText = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(8 + lenSize, dataStart));

  let header: PyValue;
  try {
    header = parsePyLiteral(headerText);
  } catch (e) {
    return fail(`unreadable header (${(e as Error).message})`);
  }
  if (!(header instanceof Map)) return fail('header is not a dict');
  const keys = [...header.keys()].sort().join(', ');
  if (keys !== 'descr, fortran_order, shape') fail(`header keys are {${keys}}, expected {descr, fortran_order, shape}`);

  const descr = header.get('descr');
  if (typeof descr !== 'string') return fail('structured dtype not supported (expected <i8)');
  const dtype = parseDtype(descr, fail);
  if (header.get('fortran_order') !== false) fail('fortran_order is True (only C order is supported)');
  const shapeValue = header.get('shape');
  if (!Array.isArray(shapeValue) || !shapeValue.every((d) => typeof d === 'number' && d >= 0)) {
    return fail('shape is not a tuple of non-negative integers');
  }
  const shape = shapeValue as number[];

  const count = shape.reduce((a, b) => a * b, 1);
  const itemSize = ITEM_SIZE[dtype];
  const expected = count * itemSize;
  const actual = bytes.length - dataStart;
  if (actual < expected) fail(`truncated data: shape ${formatShape(shape)} needs ${expected} bytes, file has ${actual}`);
  if (actual > expected) fail(`${actual - expected} unexpected bytes after the data of shape ${formatShape(shape)}`);

  const data = new Int32Array(count);
  if (dtype === '<i4') {
    for (let i = 0; i < count; i++) data[i] = view.getInt32(dataStart + 4 * i, true);
  } else {
    for (let i = 0, off = dataStart; i < count; i++, off += 8) {
      const lo = view.getInt32(off, true);
      const hi = view.getInt32(off + 4, true);
      if (hi !== lo >> 31) fail(`value ${BigInt(hi) * 2n ** 32n + BigInt(lo >>> 0)} at flat index ${i} is outside the int32 range`);
      data[i] = lo;
    }
  }
  return { dtype, shape, data };
}

function parseDtype(descr: string, fail: (what: string) => never): NpyDtype {
  if (descr === '<i8' || descr === '<i4') return descr;
  if (descr.startsWith('>')) return fail(`big-endian dtype ${descr} not supported (expected <i8)`);
  if (descr.includes('O')) return fail(`object dtype ${descr} not supported (expected <i8)`);
  return fail(`dtype ${descr} not supported (expected <i8)`);
}

/** The Python literals numpy headers use: dict, tuple, list, str, int, bool, None. */
type PyValue = string | number | boolean | null | PyValue[] | Map<string, PyValue>;

/** Parses one Python literal (what numpy's reader passes to ast.literal_eval). */
function parsePyLiteral(text: string): PyValue {
  let pos = 0;
  const skipSpace = () => {
    while (pos < text.length && /\s/.test(text[pos]!)) pos++;
  };
  const expect = (ch: string) => {
    skipSpace();
    if (text[pos] !== ch) throw new Error(`expected '${ch}' at offset ${pos}`);
    pos++;
  };
  // Reads items until `close`, allowing a trailing comma; returns them and whether a comma was seen.
  const items = <T>(close: string, item: () => T): { values: T[]; comma: boolean } => {
    const values: T[] = [];
    let comma = false;
    for (;;) {
      skipSpace();
      if (text[pos] === close) {
        pos++;
        return { values, comma };
      }
      values.push(item());
      skipSpace();
      if (text[pos] === ',') {
        pos++;
        comma = true;
      } else if (text[pos] !== close) throw new Error(`expected ',' or '${close}' at offset ${pos}`);
    }
  };
  const value = (): PyValue => {
    skipSpace();
    const ch = text[pos];
    if (ch === '{') {
      pos++;
      const entries = items('}', () => {
        const key = value();
        if (typeof key !== 'string') throw new Error('dict key is not a string');
        expect(':');
        return [key, value()] as const;
      }).values;
      return new Map(entries);
    }
    if (ch === '[') {
      pos++;
      return items(']', value).values;
    }
    if (ch === '(') {
      pos++;
      const { values, comma } = items(')', value);
      if (values.length === 1 && !comma) return values[0]!; // (3) is a parenthesised 3, not a tuple
      return values;
    }
    if (ch === "'" || ch === '"') {
      const end = text.indexOf(ch, pos + 1);
      if (end < 0) throw new Error('unterminated string');
      const s = text.slice(pos + 1, end);
      pos = end + 1;
      return s;
    }
    // Python 2 numpy wrote long ints with an L suffix, e.g. (3L, 4L).
    const m = /^(-?\d+)L?|^(True|False|None)\b/.exec(text.slice(pos));
    if (!m) throw new Error(`unexpected text at offset ${pos}`);
    pos += m[0].length;
    if (m[1] !== undefined) return Number(m[1]);
    return m[2] === 'None' ? null : m[2] === 'True';
  };
  const result = value();
  skipSpace();
  if (pos !== text.length) throw new Error(`unexpected text at offset ${pos}`);
  return result;
}
