// NumPy broadcasting as index arithmetic: the broadcast shape of two operands, each operand's
// strides inside it (0 along broadcast axes), and the merging of axes that index every operand
// the same way, so kernels loop over as few dimensions as possible ([B, T, D] + [D] becomes a
// 2-D problem [B·T, D], [B, T, D] + [B, T, D] a 1-D one).

/** Most dimensions a kernel takes after merging (uniforms hold 8 sizes and strides per list). */
export const MAX_MERGED_DIMS = 8;

/** NumPy's rule: align shapes on the right; each pair of sizes must be equal or contain a 1. */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new Error(`shapes [${a.join(', ')}] and [${b.join(', ')}] do not broadcast (axis ${i}: ${da} vs ${db})`);
    }
    out.push(Math.max(da, db));
  }
  return out;
}

/** Row-major strides of a contiguous tensor. */
export function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

/**
 * Strides of a contiguous tensor of `shape` read as if it had `outShape` (which it must
 * broadcast to): its own stride where its size equals the output's, 0 where it is broadcast.
 */
export function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const own = contiguousStrides(shape);
  const offset = outShape.length - shape.length;
  if (offset < 0) throw new Error(`[${shape.join(', ')}] has more axes than [${outShape.join(', ')}]`);
  return outShape.map((size, i) => {
    const d = shape[i - offset];
    if (d === undefined || d === 1) return 0;
    if (d !== size) throw new Error(`[${shape.join(', ')}] does not broadcast to [${outShape.join(', ')}]`);
    return own[i - offset]!;
  });
}

export interface MergedDims {
  sizes: number[];
  /** strides[k][i]: stride of operand k along merged axis i. */
  strides: number[][];
}

/**
 * Drops axes of size 1 and merges each axis into the previous one when every operand steps
 * through the pair as through one axis (stride[prev] = stride[next] · size[next]). The index
 * space (row-major over `sizes`) and every operand's offsets are unchanged.
 */
export function mergeDims(sizes: readonly number[], strides: readonly (readonly number[])[]): MergedDims {
  const out: MergedDims = { sizes: [], strides: strides.map(() => []) };
  sizes.forEach((size, i) => {
    if (size === 1) return;
    const last = out.sizes.length - 1;
    if (last >= 0 && strides.every((s, k) => out.strides[k]![last] === s[i]! * size)) {
      out.sizes[last] = out.sizes[last]! * size;
      strides.forEach((s, k) => (out.strides[k]![last] = s[i]!));
      return;
    }
    out.sizes.push(size);
    strides.forEach((s, k) => out.strides[k]!.push(s[i]!));
  });
  return out;
}

/** `values` padded with zeros to MAX_MERGED_DIMS, for a uniform `array<vec4<u32>, 2>`. */
export function padDims(values: readonly number[], what: string): number[] {
  if (values.length > MAX_MERGED_DIMS) {
    throw new Error(`${what}: ${values.length} axes after merging, kernels take at most ${MAX_MERGED_DIMS}`);
  }
  return [...values, ...new Array<number>(MAX_MERGED_DIMS - values.length).fill(0)];
}

export function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}
