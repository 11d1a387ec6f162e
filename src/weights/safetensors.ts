// The safetensors format (github.com/huggingface/safetensors), read and written here without a
// dependency: an 8-byte little-endian header length N, N bytes of JSON
// ({name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {string: string}}), then the
// tensors' bytes, row-major little-endian, offsets relative to the end of the header.
//
// Reading validates everything before allocating a tensor: the file's size against a stated cap,
// the header length against the file, the JSON, every entry's dtype, shape and offsets (in bounds,
// shape × dtype size = byte length, no overlap, no gap, the data covered exactly) and duplicate
// names. Every refusal names the tensor or field and what is wrong.
//
// Dtypes: F32 is written. On reading, F16 and BF16 widen to f32 exactly (mad-lab keeps its RWKV
// time mixers in bf16, so their state dicts hold BF16), F64 rounds to the nearest f32; any other
// dtype is refused by name.

/** The largest file read: 1 GiB, far above any model within the size policy at MAD's widths, and about what one browser buffer holds safely. */
export const MAX_WEIGHTS_FILE_BYTES = 2 ** 30;
/** The largest JSON header read: 16 MiB, thousands of times what a 64-layer model's names need. */
export const MAX_HEADER_BYTES = 16 * 2 ** 20;

export type SafetensorsDtype = 'F32' | 'F16' | 'BF16' | 'F64';

const DTYPE_BYTES: Readonly<Record<SafetensorsDtype, number>> = { F32: 4, F16: 2, BF16: 2, F64: 8 };

/** A tensor of a file, its values widened or rounded to f32. */
export interface FileTensor {
  name: string;
  /** The dtype the file stores it in. */
  dtype: SafetensorsDtype;
  shape: number[];
  data: Float32Array;
}

export interface SafetensorsContents {
  metadata: Record<string, string>;
  /** In the order of their bytes in the file. */
  tensors: FileTensor[];
}

/** A tensor to write as F32. */
export interface TensorToWrite {
  name: string;
  shape: readonly number[];
  data: Float32Array;
}

/** A file that is not valid safetensors, or that MAD Lab will not read. */
export class WeightsFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WeightsFileError';
  }
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const product = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
const shapeText = (shape: readonly number[]): string => `[${shape.join(', ')}]`;

/** The tensors as one safetensors file (F32, in the given order, header padded to 8 bytes as the format recommends). */
export function writeSafetensors(tensors: readonly TensorToWrite[], metadata: Readonly<Record<string, string>>): Uint8Array {
  if (!LITTLE_ENDIAN) throw new Error('safetensors are little-endian; this machine is not');
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  const seen = new Set<string>();
  for (const t of tensors) {
    if (seen.has(t.name)) throw new Error(`tensor '${t.name}' is written twice`);
    seen.add(t.name);
    if (t.data.length !== product(t.shape)) throw new Error(`tensor '${t.name}': shape ${shapeText(t.shape)} holds ${product(t.shape)} values, got ${t.data.length}`);
    header[t.name] = { dtype: 'F32', shape: [...t.shape], data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) json = new TextEncoder().encode(JSON.stringify(header) + ' '.repeat(padded - json.length));
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const t of tensors) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    at += t.data.byteLength;
  }
  return out;
}

interface HeaderEntry {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  begin: number;
  end: number;
}

/** The header of a safetensors file, every entry checked against the file; no tensor is read. */
export function readSafetensorsHeader(bytes: Uint8Array, source = 'the weights file'): { metadata: Record<string, string>; entries: HeaderEntry[]; dataStart: number } {
  const refuse = (what: string): never => {
    throw new WeightsFileError(`${source}: ${what}`);
  };
  if (bytes.length > MAX_WEIGHTS_FILE_BYTES) refuse(`it is ${bytes.length.toLocaleString('en-US')} bytes, more than the ${MAX_WEIGHTS_FILE_BYTES.toLocaleString('en-US')} MAD Lab reads`);
  if (bytes.length < 8) refuse(`it is ${bytes.length} bytes, too short for safetensors' 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getBigUint64(0, true);
  if (headerLength > BigInt(MAX_HEADER_BYTES)) refuse(`its header length says ${headerLength} bytes, more than the ${MAX_HEADER_BYTES.toLocaleString('en-US')} MAD Lab reads (is it a safetensors file?)`);
  const n = Number(headerLength);
  if (n > bytes.length - 8) refuse(`its header length says ${n} bytes, but only ${bytes.length - 8} follow (the file is truncated or not safetensors)`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n));
  } catch {
    return refuse('its header is not UTF-8 text');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return refuse(`its header is not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return refuse('its header is not a JSON object of tensors');
  const duplicate = firstDuplicateKey(text);
  if (duplicate !== null) refuse(`tensor '${duplicate}' appears twice in the header`);

  const header = parsed as Record<string, unknown>;
  const metadata: Record<string, string> = {};
  const rawMetadata = header.__metadata__;
  if (rawMetadata !== undefined) {
    if (typeof rawMetadata !== 'object' || rawMetadata === null || Array.isArray(rawMetadata)) refuse("'__metadata__' must be an object of strings");
    for (const [key, value] of Object.entries(rawMetadata as Record<string, unknown>)) {
      if (typeof value !== 'string') refuse(`'__metadata__.${key}' must be a string, got ${JSON.stringify(value)?.slice(0, 40)}`);
      metadata[key] = value as string;
    }
  }
  const dataLength = bytes.length - 8 - n;
  const entries: HeaderEntry[] = [];
  for (const [name, raw] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const where = `tensor '${name}'`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return refuse(`${where}: expected {dtype, shape, data_offsets}`);
    const entry = raw as Record<string, unknown>;
    const extra = Object.keys(entry).filter((k) => !['dtype', 'shape', 'data_offsets'].includes(k));
    if (extra.length > 0) refuse(`${where}: unknown field '${extra[0]}' (expected dtype, shape, data_offsets)`);
    const dtype = entry.dtype;
    if (typeof dtype !== 'string') return refuse(`${where}: 'dtype' must be a string`);
    if (!(dtype in DTYPE_BYTES)) refuse(`${where}: dtype '${dtype}' is not supported (MAD Lab reads F32, F16, BF16 and F64)`);
    const shape = entry.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) return refuse(`${where}: 'shape' must be a list of non-negative integers, got ${JSON.stringify(shape)?.slice(0, 60)}`);
    const offsets = entry.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && (o as number) >= 0)) {
      return refuse(`${where}: 'data_offsets' must be two non-negative integers [begin, end], got ${JSON.stringify(offsets)?.slice(0, 60)}`);
    }
    const [begin, end] = offsets as [number, number];
    if (begin > end) refuse(`${where}: data_offsets [${begin}, ${end}] end before they begin`);
    if (end > dataLength) refuse(`${where}: data_offsets [${begin}, ${end}] run past the end of the data (${dataLength} bytes; the file is truncated?)`);
    const expected = product(shape as number[]) * DTYPE_BYTES[dtype as SafetensorsDtype];
    if (expected !== end - begin) refuse(`${where}: shape ${shapeText(shape as number[])} of ${dtype} needs ${expected} bytes, but data_offsets span ${end - begin}`);
    entries.push({ name, dtype: dtype as SafetensorsDtype, shape: shape as number[], begin, end });
  }
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  let previous: HeaderEntry | null = null;
  for (const e of entries) {
    if (e.begin < covered) refuse(`tensor '${e.name}' (bytes ${e.begin}–${e.end}) overlaps '${previous!.name}' (bytes ${previous!.begin}–${previous!.end})`);
    if (e.begin > covered) refuse(`bytes ${covered}–${e.begin} of the data belong to no tensor (before '${e.name}')`);
    covered = e.end;
    previous = e;
  }
  if (covered !== dataLength) refuse(`the tensors cover ${covered} bytes of data, but ${dataLength} follow the header`);
  return { metadata, entries, dataStart: 8 + n };
}

/** Reads and validates a whole file; every tensor comes back as f32. */
export function readSafetensors(bytes: Uint8Array, source = 'the weights file'): SafetensorsContents {
  if (!LITTLE_ENDIAN) throw new Error('safetensors are little-endian; this machine is not');
  const { metadata, entries, dataStart } = readSafetensorsHeader(bytes, source);
  const tensors = entries.map((e): FileTensor => {
    // A copy of the slice: aligned for typed-array views whatever the offset in the file.
    const raw = bytes.slice(dataStart + e.begin, dataStart + e.end).buffer;
    return { name: e.name, dtype: e.dtype, shape: e.shape, data: toFloat32(raw, e.dtype) };
  });
  return { metadata, tensors };
}

function toFloat32(raw: ArrayBuffer, dtype: SafetensorsDtype): Float32Array {
  switch (dtype) {
    case 'F32':
      return new Float32Array(raw);
    case 'F64':
      return Float32Array.from(new Float64Array(raw));
    case 'BF16': {
      const halves = new Uint16Array(raw);
      const bits = new Uint32Array(halves.length);
      for (let i = 0; i < halves.length; i++) bits[i] = halves[i]! << 16;
      return new Float32Array(bits.buffer);
    }
    case 'F16':
      return Float32Array.from(new Uint16Array(raw), halfToNumber);
  }
}

/** IEEE 754 binary16 → number (exact). */
function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/**
 * The first key that appears twice in the top-level object of `json`, or null. JSON.parse keeps the
 * last of duplicate keys silently; a file naming a tensor twice is ambiguous, so it is refused.
 */
function firstDuplicateKey(json: string): string | null {
  const seen = new Set<string>();
  let depth = 0;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (c === '"') {
      let j = i + 1;
      while (j < json.length && json[j] !== '"') j += json[j] === '\\' ? 2 : 1;
      if (depth === 1) {
        let k = j + 1;
        while (k < json.length && /\s/.test(json[k]!)) k++;
        if (json[k] === ':') {
          const key = JSON.parse(json.slice(i, j + 1)) as string;
          if (seen.has(key)) return key;
          seen.add(key);
        }
      }
      i = j;
    } else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
  }
  return null;
}
