// The fit behind an adapter's measured speed (adapterSpeed.ts): a training step's wall time is
// read as a fixed overhead (submit, dispatch and readback latency) plus its FLOPs at a sustained
// rate, t = overhead + flops / rate, fitted by least squares to steps timed at several batch sizes.
// Pure arithmetic, so it is tested on synthetic timings.

export interface StepTiming {
  /** FLOPs of the step (src/model/estimates.ts stepFlops). */
  flops: number;
  /** Its wall time. */
  seconds: number;
}

export interface StepSpeedFit {
  flopsPerSecond: number;
  stepOverheadSeconds: number;
}

/**
 * Least squares of t = overhead + flops / rate over at least two distinct FLOP counts. Noise can
 * push the line outside what a step can be: a negative overhead is refitted through the origin
 * (all time is compute), and a time that did not grow with the FLOPs is read as compute at the
 * best throughput seen, so the result is always finite and positive.
 */
export function fitStepSpeed(timings: readonly StepTiming[]): StepSpeedFit {
  for (const t of timings) {
    if (!(t.flops > 0 && t.seconds > 0 && Number.isFinite(t.flops) && Number.isFinite(t.seconds))) {
      throw new Error(`a step timing needs positive, finite FLOPs and seconds, got ${t.flops} FLOPs in ${t.seconds} s`);
    }
  }
  if (new Set(timings.map((t) => t.flops)).size < 2) throw new Error(`the speed fit needs steps of at least two sizes, got ${timings.length} timing(s)`);
  const n = timings.length;
  const meanF = timings.reduce((s, t) => s + t.flops, 0) / n;
  const meanT = timings.reduce((s, t) => s + t.seconds, 0) / n;
  const sff = timings.reduce((s, t) => s + (t.flops - meanF) ** 2, 0);
  const sft = timings.reduce((s, t) => s + (t.flops - meanF) * (t.seconds - meanT), 0);
  const secondsPerFlop = sft / sff;
  if (!(secondsPerFlop > 0)) {
    return { flopsPerSecond: Math.max(...timings.map((t) => t.flops / t.seconds)), stepOverheadSeconds: 0 };
  }
  const overhead = meanT - secondsPerFlop * meanF;
  if (overhead < 0) {
    const throughOrigin = timings.reduce((s, t) => s + t.flops * t.seconds, 0) / timings.reduce((s, t) => s + t.flops ** 2, 0);
    return { flopsPerSecond: 1 / throughOrigin, stepOverheadSeconds: 0 };
  }
  return { flopsPerSecond: 1 / secondsPerFlop, stepOverheadSeconds: overhead };
}
