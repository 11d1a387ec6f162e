// A bump allocator over a few large GPUBuffers: the engine takes every tensor as a (buffer, offset,
// size) slice of a block instead of creating one buffer per tensor, so buffers are created during
// warm-up only. Offsets are aligned to the device's minStorageBufferOffsetAlignment, because a
// misaligned storage binding invalidates the whole command encoder. mark()/reset() free scoped
// temporaries in stack order; reusing their memory in later commands is safe because a WebGPU
// queue runs its commands in order.

import { createBuffer } from './stats.ts';

/** A sub-allocation. It is a valid GPUBufferBinding, so it can be passed as a bind group resource. */
export interface ArenaSlice {
  readonly buffer: GPUBuffer;
  readonly offset: number;
  readonly size: number;
  readonly label: string;
}

/** A position to reset() back to; it also restores the byte and allocation counts. */
export interface ArenaMark {
  readonly block: number;
  readonly offset: number;
  readonly bytesUsed: number;
  readonly allocations: number;
}

export interface ArenaStats {
  /** Bytes handed out since the last reset, including alignment padding. */
  readonly bytesUsed: number;
  readonly peakBytesUsed: number;
  /** Total size of the blocks created. */
  readonly bytesReserved: number;
  readonly buffersCreated: number;
  /** Live slices. */
  readonly allocations: number;
}

export interface ArenaOptions {
  /** Size of a block; an allocation larger than this gets a block of its own. Default 64 MiB. */
  readonly blockBytes?: number;
  readonly label?: string;
}

const DEFAULT_BLOCK_BYTES = 64 * 1024 * 1024;

export class BufferArena {
  readonly alignment: number;
  private readonly device: GPUDevice;
  private readonly blockBytes: number;
  private readonly maxSliceBytes: number;
  private readonly label: string;
  private readonly blocks: GPUBuffer[] = [];
  private cursor = { block: 0, offset: 0 };
  private counts = { bytesUsed: 0, peakBytesUsed: 0, bytesReserved: 0, allocations: 0 };

  constructor(device: GPUDevice, options: ArenaOptions = {}) {
    this.device = device;
    this.alignment = device.limits.minStorageBufferOffsetAlignment;
    this.maxSliceBytes = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
    this.blockBytes = alignUp(Math.min(options.blockBytes ?? DEFAULT_BLOCK_BYTES, this.maxSliceBytes), 4);
    this.label = options.label ?? 'arena';
  }

  alloc(bytes: number, label: string): ArenaSlice {
    if (!Number.isInteger(bytes) || bytes <= 0) {
      throw new RangeError(`arena.alloc("${label}"): bytes must be a positive integer, got ${bytes}`);
    }
    // Storage bindings must be a multiple of 4 bytes long.
    const size = alignUp(bytes, 4);
    if (size > this.maxSliceBytes) {
      throw new RangeError(
        `arena.alloc("${label}"): ${size} bytes exceeds the device's largest binding (${this.maxSliceBytes} bytes)`,
      );
    }
    for (;;) {
      const block = this.blocks[this.cursor.block];
      if (block === undefined) {
        this.addBlock(this.cursor.block, size);
        continue;
      }
      const offset = alignUp(this.cursor.offset, this.alignment);
      if (offset + size <= block.size) {
        this.take(offset + size - this.cursor.offset);
        this.cursor.offset = offset + size;
        return { buffer: block, offset, size, label };
      }
      // Move on to the next block, inserting a new one when it is missing or too small; a small
      // block left in place is used again by later, smaller allocations.
      const next = this.blocks[this.cursor.block + 1];
      if (next === undefined || next.size < size) this.addBlock(this.cursor.block + 1, size);
      this.cursor = { block: this.cursor.block + 1, offset: 0 };
    }
  }

  mark(): ArenaMark {
    return { ...this.cursor, bytesUsed: this.counts.bytesUsed, allocations: this.counts.allocations };
  }

  /** Frees everything allocated after `mark` (everything, without one); slices taken since become invalid. */
  reset(mark: ArenaMark = { block: 0, offset: 0, bytesUsed: 0, allocations: 0 }): void {
    const { block, offset } = this.cursor;
    if (mark.block > block || (mark.block === block && mark.offset > offset)) {
      // Catches most out-of-order resets; a stale mark that happens to lie behind the cursor passes.
      throw new Error('arena.reset: the mark lies ahead of the arena, so it was taken before an earlier reset');
    }
    this.cursor = { block: mark.block, offset: mark.offset };
    this.counts.bytesUsed = mark.bytesUsed;
    this.counts.allocations = mark.allocations;
  }

  get stats(): ArenaStats {
    return { ...this.counts, buffersCreated: this.blocks.length };
  }

  destroy(): void {
    for (const block of this.blocks) block.destroy();
    this.blocks.length = 0;
    this.cursor = { block: 0, offset: 0 };
    this.counts = { bytesUsed: 0, peakBytesUsed: 0, bytesReserved: 0, allocations: 0 };
  }

  private take(bytes: number): void {
    this.counts.bytesUsed += bytes;
    this.counts.allocations += 1;
    this.counts.peakBytesUsed = Math.max(this.counts.peakBytesUsed, this.counts.bytesUsed);
  }

  private addBlock(index: number, minBytes: number): void {
    const size = Math.max(this.blockBytes, minBytes);
    const buffer = createBuffer(this.device, {
      label: `${this.label} block ${this.blocks.length}`,
      size,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
    });
    this.blocks.splice(index, 0, buffer);
    this.counts.bytesReserved += size;
  }
}

export function alignUp(value: number, alignment: number): number {
  return Math.ceil(value / alignment) * alignment;
}
