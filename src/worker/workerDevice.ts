// A worker's one GPU device: acquired on first use, watched from then on (not only while a run
// trains), and acquired again after a loss. A lost device is forgotten at once, and the owners that
// compiled programs for it hear of the loss and drop them, so the next run or prediction starts on
// a new device instead of failing on the dead one until the page reloads. A failed acquisition is
// forgotten too: the next request tries again.

import type { EngineGpu } from '../engine/compile.ts';
import type { DeviceProblem } from '../gpu/deviceErrors.ts';
import { GpuUnavailableError } from '../gpu/errors.ts';

/** The worker's device, with a way to hear about its loss and uncaptured errors. */
export interface WorkerGpu {
  gpu: EngineGpu;
  /** Calls `onProblem` on device loss or an uncaptured GPU error; returns a function that stops watching. */
  watch(onProblem: (problem: DeviceProblem) => void): () => void;
}

export class WorkerDevice {
  private current: Promise<WorkerGpu> | null = null;
  private readonly lossListeners = new Set<(loss: GpuUnavailableError) => void>();

  constructor(private readonly acquireGpu: () => Promise<WorkerGpu>) {}

  /** The device, acquiring one if there is none (or the last one was lost). */
  acquire(): Promise<WorkerGpu> {
    if (this.current) return this.current;
    const pending = this.acquireGpu();
    this.current = pending;
    pending.then(
      (worker) => {
        let lost = false;
        const stop = worker.watch((problem) => {
          // Uncaptured errors are for whoever is using the device now (a run fails on them); a loss ends the device.
          if (lost || !(problem instanceof GpuUnavailableError)) return;
          lost = true;
          queueMicrotask(() => stop());
          if (this.current === pending) this.current = null;
          for (const listener of this.lossListeners) listener(problem);
        });
      },
      () => {
        if (this.current === pending) this.current = null;
      },
    );
    return pending;
  }

  /** Calls `listener` whenever the device in use is lost (its owner's compiled programs go with it). */
  onLoss(listener: (loss: GpuUnavailableError) => void): void {
    this.lossListeners.add(listener);
  }
}
