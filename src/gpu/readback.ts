// Asynchronous, double-buffered readback of small results (losses, metrics, timestamps). The copy
// into a staging buffer is recorded in the caller's command encoder, so it rides in the step's one
// submit; collect() then maps that staging buffer without stalling the queue, while the other
// staging buffer takes the next step's copy. Both staging buffers are created up front: nothing
// is allocated on the GPU afterwards. Staging buffers are MAP_READ | COPY_DST only, because
// WebGPU forbids MAP_READ together with STORAGE.

import { createBuffer, gpuStats } from './stats.ts';

/** What collect() can return: a typed view of a private copy of the bytes, or the bytes themselves. */
export interface ReadbackFormats {
  f32: Float32Array;
  u32: Uint32Array;
  i32: Int32Array;
  u64: BigUint64Array;
  bytes: ArrayBuffer;
}
export type ReadbackFormat = keyof ReadbackFormats;

interface Slot {
  readonly buffer: GPUBuffer;
  state: 'free' | 'recorded' | 'mapping';
  bytes: number;
  /** The device's submit count when the copy was recorded, to catch collect() before submit(). */
  submitsAtEncode: number;
}

export class Readback {
  readonly maxBytes: number;
  private readonly device: GPUDevice;
  private readonly slots: readonly Slot[];
  /** Recorded copies in recording order; collect() takes the oldest. */
  private readonly recorded: Slot[] = [];

  constructor(device: GPUDevice, maxBytes: number, label = 'readback') {
    if (!Number.isInteger(maxBytes) || maxBytes <= 0 || maxBytes % 4 !== 0) {
      throw new RangeError(`Readback: maxBytes must be a positive multiple of 4, got ${maxBytes}`);
    }
    this.device = device;
    this.maxBytes = maxBytes;
    this.slots = [0, 1].map((i) => ({
      buffer: createBuffer(device, {
        label: `${label} staging ${i}`,
        size: maxBytes,
        usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
      }),
      state: 'free',
      bytes: 0,
      submitsAtEncode: 0,
    }));
  }

  /** Copies recorded or being mapped; encodeCopy() needs fewer than two. */
  get inFlight(): number {
    return this.slots.filter((slot) => slot.state !== 'free').length;
  }

  /** Records a copy of `bytes` bytes of `src` at `srcOffset` into a free staging buffer. */
  encodeCopy(encoder: GPUCommandEncoder, src: GPUBuffer, srcOffset: number, bytes: number): void {
    if (bytes <= 0 || bytes > this.maxBytes || bytes % 4 !== 0 || srcOffset % 4 !== 0) {
      throw new RangeError(
        `Readback.encodeCopy: offset ${srcOffset} and size ${bytes} must be multiples of 4, size at most ${this.maxBytes}`,
      );
    }
    const slot = this.slots.find((s) => s.state === 'free');
    if (!slot) {
      throw new Error('Readback.encodeCopy: both staging buffers are in flight; await an earlier collect() first');
    }
    encoder.copyBufferToBuffer(src, srcOffset, slot.buffer, 0, bytes);
    slot.state = 'recorded';
    slot.bytes = bytes;
    slot.submitsAtEncode = gpuStats(this.device).submits;
    this.recorded.push(slot);
  }

  /**
   * Resolves the oldest recorded copy once the GPU has executed it. Call it after the encoder was
   * submitted (through stats.submit): mapping a buffer that an unsubmitted command buffer writes
   * would make that submit fail validation.
   */
  async collect<F extends ReadbackFormat>(format: F): Promise<ReadbackFormats[F]> {
    const slot = this.recorded[0];
    if (!slot) throw new Error('Readback.collect: no copy was recorded; call encodeCopy() first');
    if (gpuStats(this.device).submits === slot.submitsAtEncode) {
      throw new Error('Readback.collect: the encoder holding the copy has not been submitted yet; submit it first');
    }
    this.recorded.shift();
    slot.state = 'mapping';
    try {
      await slot.buffer.mapAsync(GPUMapMode.READ, 0, slot.bytes);
      const copy = slot.buffer.getMappedRange(0, slot.bytes).slice(0);
      slot.buffer.unmap();
      return VIEWS[format](copy);
    } finally {
      slot.state = 'free';
    }
  }

  destroy(): void {
    for (const slot of this.slots) slot.buffer.destroy();
  }
}

const VIEWS: { readonly [K in ReadbackFormat]: (bytes: ArrayBuffer) => ReadbackFormats[K] } = {
  f32: (bytes) => new Float32Array(bytes),
  u32: (bytes) => new Uint32Array(bytes),
  i32: (bytes) => new Int32Array(bytes),
  u64: (bytes) => new BigUint64Array(bytes),
  bytes: (bytes) => bytes,
};
