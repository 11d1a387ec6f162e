// How the GPU check's benchmark times a workload: by wall clock (the engine's compute pass takes
// no timestamp writes), as training submits work: one untimed warm-up run (the driver's first use
// of each pipeline), one timed probe, then, if the probe was short, enough runs queued back to back
// and awaited once for about a target time, so a fast GPU is not timed on noise and a slow adapter
// is not held for minutes. The result is throughput and includes the CPU time of recording.

import { timeSubmits } from '../gpu/timing.ts';

/** Runs per figure at most, however fast the adapter. */
const MAX_RUNS = 200;

export interface TimedRuns {
  msPerRun: number;
  runs: number;
}

/** `time(runs, warmup)`: ms per run of `runs` runs after `warmup` untimed ones, awaited once. */
async function timeAdaptive(time: (runs: number, warmup: number) => Promise<number>, targetMs: number): Promise<TimedRuns> {
  const probe = await time(1, 1);
  const runs = Math.min(MAX_RUNS, Math.floor(targetMs / Math.max(probe, 1e-3)));
  if (runs <= 1) return { msPerRun: probe, runs: 1 };
  return { msPerRun: await time(runs, 0), runs };
}

/** A recorded workload (compute passes on an encoder), one submit per run (timeSubmits). */
export function timeRecorded(device: GPUDevice, record: (encoder: GPUCommandEncoder) => void, targetMs: number): Promise<TimedRuns> {
  return timeAdaptive(async (runs, warmup) => (await timeSubmits(device, record, runs, warmup)).msPerSubmit, targetMs);
}

/** A workload that submits itself (a TrainingStep's step), timed the way timeSubmits times a recorded one. */
export function timeSubmitting(device: GPUDevice, submitOne: () => void, targetMs: number): Promise<TimedRuns> {
  return timeAdaptive(async (runs, warmup) => {
    for (let i = 0; i < warmup; i++) submitOne();
    await device.queue.onSubmittedWorkDone();
    const start = performance.now();
    for (let i = 0; i < runs; i++) submitOne();
    await device.queue.onSubmittedWorkDone();
    return (performance.now() - start) / runs;
  }, targetMs);
}
