// How long training takes on this adapter: a workload's FLOPs (src/model/estimates.ts, docs/protocol.md §11)
// and optimizer steps at the adapter's measured speed (the GPU check's AdapterSpeed,
// src/worker/adapterSpeed.ts): steps · overhead + FLOPs / rate. Without a measurement there is
// no estimate: the callers say "not measured yet" rather than assume a speed.

/** What a measurement gives (AdapterSpeed's figures). */
export interface StepSpeed {
  flopsPerSecond: number;
  stepOverheadSeconds: number;
}

/** What a run, a sweep or a demo asks for. */
export interface Workload {
  flops: number;
  /** Optimizer steps: each pays the step overhead once. */
  steps: number;
}

export const NOT_MEASURED_TEXT = 'not measured yet';

/** Seconds of `work` at `speed`, or null without a measurement. */
export function trainingSeconds(work: Workload, speed: StepSpeed | null): number | null {
  if (speed === null) return null;
  return work.steps * speed.stepOverheadSeconds + work.flops / speed.flopsPerSecond;
}

export function addWorkloads(works: readonly Workload[]): Workload {
  return works.reduce((sum, w) => ({ flops: sum.flops + w.flops, steps: sum.steps + w.steps }), { flops: 0, steps: 0 });
}

/** "45 s", "12 min", "3 h 05 min". */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.max(0, Math.round(seconds))} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** "≈ 42 s on this adapter (measured)", or "not measured yet". */
export function estimateText(work: Workload, speed: StepSpeed | null): string {
  const seconds = trainingSeconds(work, speed);
  return seconds === null ? NOT_MEASURED_TEXT : `≈ ${formatDuration(seconds)} on this adapter (measured)`;
}
