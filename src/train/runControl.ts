// Pausing and cancelling a run from outside (the worker's pause/resume/cancel, the CLI's Ctrl-C).
// The trainer looks at it between optimizer steps and between the batches of its test and
// validate passes; a paused run holds its GPU state and resumes where it stopped; a cancelled
// run ends with RunCancelledError.

export class RunCancelledError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'RunCancelledError';
  }
}

export class RunControl {
  private paused: { promise: Promise<void>; release: () => void } | null = null;
  private cancelReason: string | null = null;

  get isPaused(): boolean {
    return this.paused !== null;
  }

  get isCancelled(): boolean {
    return this.cancelReason !== null;
  }

  /** True when the trainer must call wait() before its next step or evaluation batch. */
  get mustWait(): boolean {
    return this.paused !== null || this.cancelReason !== null;
  }

  pause(): void {
    if (this.paused) return;
    let release = (): void => {};
    const promise = new Promise<void>((resolve) => (release = resolve));
    this.paused = { promise, release };
  }

  resume(): void {
    this.paused?.release();
    this.paused = null;
  }

  cancel(reason = 'The run was cancelled.'): void {
    this.cancelReason = reason;
    this.resume();
  }

  /** Resolves when the run may go on (at once unless paused); rejects once it is cancelled. */
  async wait(): Promise<void> {
    while (this.paused) await this.paused.promise;
    if (this.cancelReason !== null) throw new RunCancelledError(this.cancelReason);
  }
}
