// Measuring GPU time. With 'timestamp-query', a TimestampTimer brackets compute passes with GPU
// timestamps, resolves them in the same command encoder and reads them back through a Readback,
// so timing adds no submit and no stall. Without the feature, createTimestampTimer says so
// (available: false) instead of failing, and timeSubmits measures wall-clock time per submit of a
// recorded workload. Browsers may quantize timestamps (Chrome: to 100 µs unless a flag allows
// more), so compare timings of the same kernel, not single short passes.

import { Readback } from './readback.ts';
import { createBuffer, submit } from './stats.ts';

export interface TimerUnavailable {
  readonly available: false;
  readonly reason: string;
}

export class TimestampTimer {
  readonly available = true;
  readonly passes: number;
  private readonly querySet: GPUQuerySet;
  private readonly resolveBuffer: GPUBuffer;
  private readonly readback: Readback;
  // Built once, so timing a step allocates nothing.
  private readonly writes: readonly GPUComputePassTimestampWrites[];

  constructor(device: GPUDevice, passes: number, label = 'timer') {
    this.passes = passes;
    this.querySet = device.createQuerySet({ label, type: 'timestamp', count: 2 * passes });
    this.resolveBuffer = createBuffer(device, {
      label: `${label} resolve`,
      size: 16 * passes,
      usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC,
    });
    this.readback = new Readback(device, 16 * passes, label);
    this.writes = Array.from({ length: passes }, (_, i) => ({
      querySet: this.querySet,
      beginningOfPassWriteIndex: 2 * i,
      endOfPassWriteIndex: 2 * i + 1,
    }));
  }

  /** The `timestampWrites` for beginComputePass that time pass slot `index`. */
  passWrites(index: number): GPUComputePassTimestampWrites {
    const writes = this.writes[index];
    if (!writes) throw new RangeError(`TimestampTimer.passWrites: slot ${index} outside 0..${this.passes - 1}`);
    return writes;
  }

  /** Records, after the timed passes, the resolve of every slot and the copy for readback. */
  encodeResolve(encoder: GPUCommandEncoder): void {
    encoder.resolveQuerySet(this.querySet, 0, 2 * this.passes, this.resolveBuffer, 0);
    this.readback.encodeCopy(encoder, this.resolveBuffer, 0, 16 * this.passes);
  }

  /** Nanoseconds per slot of the oldest submitted resolve (see Readback.collect for the order). */
  async collect(): Promise<number[]> {
    const stamps = await this.readback.collect('u64');
    return Array.from({ length: this.passes }, (_, i) => Number((stamps[2 * i + 1] ?? 0n) - (stamps[2 * i] ?? 0n)));
  }

  destroy(): void {
    this.querySet.destroy();
    this.resolveBuffer.destroy();
    this.readback.destroy();
  }
}

/** A timer for `passes` compute passes, or why there is none on this device. */
export function createTimestampTimer(
  device: GPUDevice,
  passes: number,
  label?: string,
): TimestampTimer | TimerUnavailable {
  if (!device.features.has('timestamp-query')) {
    const reason = "the device has no 'timestamp-query' feature; use timeSubmits for wall-clock time";
    return { available: false, reason };
  }
  return new TimestampTimer(device, passes, label);
}

export interface WallClockTiming {
  readonly submits: number;
  readonly totalMs: number;
  readonly msPerSubmit: number;
}

/**
 * Wall-clock time of `submits` submits of the workload that `record` encodes, after `warmup`
 * untimed ones. All submits are queued back to back and awaited once, as in training, so the
 * result is throughput and includes the CPU time of recording.
 */
export async function timeSubmits(
  device: GPUDevice,
  record: (encoder: GPUCommandEncoder) => void,
  submits: number,
  warmup = 1,
): Promise<WallClockTiming> {
  const run = (count: number): void => {
    for (let i = 0; i < count; i++) {
      const encoder = device.createCommandEncoder();
      record(encoder);
      submit(device, [encoder.finish()]);
    }
  };
  run(warmup);
  await device.queue.onSubmittedWorkDone();
  const start = performance.now();
  run(submits);
  await device.queue.onSubmittedWorkDone();
  const totalMs = performance.now() - start;
  return { submits, totalMs, msPerSubmit: totalMs / submits };
}
