// A Tensor is a shaped view of a planned region of GPU memory. Regions are assigned while a
// graph is traced (Graph.plan in graph.ts: an offset in one of the pools below) and backed by
// buffers only when the graph is compiled (compileGraph in compile.ts: one buffer per pool), so
// tracing allocates nothing on the GPU and a compiled step allocates nothing at all.

export type DType = 'f32' | 'i32' | 'u32';

/** Where a tensor lives. Pools are planned separately because they are cleared and updated differently. */
export type Pool =
  | 'param' // trainable weights, one flat buffer (AdamW runs over it in one dispatch)
  | 'paramGrad' // mirrors 'param' offset for offset
  | 'activation' // inputs, forward results, backward scratch
  | 'grad' // gradients of activations, cleared at the start of every backward
  | 'optimizer' // optimizer state (AdamW moments): persistent, never aliased, saved in checkpoints
  | 'metric'; // counters accumulated across steps, read back asynchronously

export const BYTES_PER_ELEMENT = 4;

export class Tensor {
  /** Byte offset inside its pool; set by the graph when traced. */
  constructor(
    readonly id: number,
    readonly shape: readonly number[],
    readonly dtype: DType,
    readonly pool: Pool,
    readonly offset: number,
    readonly label: string,
  ) {}

  get size(): number {
    return this.shape.reduce((a, b) => a * b, 1);
  }

  get bytes(): number {
    return this.size * BYTES_PER_ELEMENT;
  }

  get rank(): number {
    return this.shape.length;
  }

  /** Size of the last axis: the row length for row-wise ops. */
  get lastDim(): number {
    return this.shape[this.shape.length - 1] ?? 1;
  }

  toString(): string {
    return `${this.label}[${this.shape.join('×')}:${this.dtype}]`;
  }
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function assertShape(t: Tensor, shape: readonly number[], what: string): void {
  if (!sameShape(t.shape, shape)) {
    throw new Error(`${what}: expected shape [${shape.join(', ')}], got ${t}`);
  }
}
