// How fast this adapter trains, measured: the product's whole training step (createBenchTrainingStep:
// buildTrainingProgram compiled into a TrainingStep, split into micro-batches as the trainer splits
// it) of a reference model is timed at growing batch sizes, and t = overhead + flops / rate is
// fitted to the two largest (adapterSpeedFit.ts).
// The batch doubles from 1 until a step takes MIN_STEP_SECONDS and twice the first step (so the
// compute, not only the overhead, shows in the time) or reaches MAD's batch: a real GPU is not
// timed at a batch that leaves it idle, while a CPU adapter (SwiftShader, ~0.1 s of overhead per
// step) stops after a few small steps. The reference is one attention and one SwiGLU layer at MAD's
// width on short sequences: MAD's kernels at MAD's width, cheap enough for the training gate.
// Every ETA of the app and the CLI comes from this (src/model/trainingTime.ts).

import type { EngineGpu } from '../engine/compile.ts';
import { architectureFromLayers, modelId, type ArchitectureSpec } from '../model/architecture.ts';
import { countModel } from '../model/counting.ts';
import { MAD_BATCH_SIZE, stepFlops } from '../model/estimates.ts';
import { DEFAULT_LAYERS } from '../model/presets.ts';
import { createBenchTrainingStep } from '../train/benchTrainingStep.ts';
import { fitStepSpeed, type StepTiming } from './adapterSpeedFit.ts';
import type { AdapterSpeed } from './gpuCheckApi.ts';

/** A step this long keeps a GPU busy enough that its rate, not its latency, is measured. */
const MIN_STEP_SECONDS = 0.1;

export interface SpeedReference {
  architecture: ArchitectureSpec;
  vocabSize: number;
  seqLen: number;
  /** The largest batch timed. */
  maxBatch: number;
  /** Timed steps per batch size at most (after one untimed warm-up step on the first); the median is kept. */
  steps: number;
}

/** Steps are timed until `steps` or this much time, whichever comes first. */
const TIMING_SECONDS = 0.2;

/** The first two layers of the default model at MAD's width (vocabulary 16, length 32), up to MAD's batch. */
export const MAD_REFERENCE: SpeedReference = {
  architecture: architectureFromLayers(DEFAULT_LAYERS.slice(0, 2), { dim: 128 }),
  vocabSize: 16,
  seqLen: 32,
  maxBatch: MAD_BATCH_SIZE,
  steps: 3,
};

export function describeReference(r: SpeedReference): string {
  return `${modelId(r.architecture)} d=${r.architecture.dim}, vocabulary ${r.vocabSize}, length ${r.seqLen}`;
}

export async function measureAdapterSpeed(gpu: EngineGpu, reference: SpeedReference = MAD_REFERENCE): Promise<AdapterSpeed> {
  const { architecture, vocabSize, seqLen } = reference;
  const count = countModel(architecture, { vocabSize, maxLength: seqLen });
  const timings: (StepTiming & { batch: number })[] = [];
  for (let batch = 1; ; batch = Math.min(2 * batch, reference.maxBatch)) {
    const seconds = await timeStep(gpu, reference, batch, timings.length === 0);
    timings.push({ batch, seconds, flops: stepFlops(architecture, count, { batchSize: batch, seqLen }).total });
    const busy = seconds >= MIN_STEP_SECONDS && seconds >= 2 * timings[0]!.seconds;
    // Two sizes at least, for the fit.
    if (timings.length >= 2 && (busy || batch >= reference.maxBatch)) break;
  }
  const fitted = timings.slice(-2);
  const fit = fitStepSpeed(fitted);
  return {
    ...fit,
    reference: `${describeReference(reference)}, batches ${fitted.map((t) => t.batch).join(' and ')}`,
    measuredAt: new Date().toISOString(),
  };
}

/** Median wall time of a whole training step (upload, one submit, done) at `batch` rows. */
async function timeStep(gpu: EngineGpu, r: SpeedReference, batch: number, warmUp: boolean): Promise<number> {
  // The tokens do not change the work: any valid ids and targets do.
  const ids = Int32Array.from({ length: batch * r.seqLen }, (_, i) => i % r.vocabSize);
  // Split into micro-batches as the trainer splits a batch that does not fit the device.
  const bench = await createBenchTrainingStep(gpu, {
    architecture: r.architecture,
    vocabSize: r.vocabSize,
    batchSize: batch,
    seqLen: r.seqLen,
    weightDecay: 0,
    lr: 0,
    seed: 0,
    batch: [ids, ids],
    source: describeReference(r),
  });
  try {
    const times: number[] = [];
    let spent = 0;
    // The first step on the device pays the driver's first use of each pipeline: it is not timed.
    // Later batch sizes reuse those pipelines (their shapes are uniforms), so they skip it.
    const first = warmUp ? 1 : 0;
    for (let i = 0; i < first + r.steps && (i <= first || spent < TIMING_SECONDS); i++) {
      const start = performance.now();
      bench.step();
      await gpu.device.queue.onSubmittedWorkDone();
      const seconds = (performance.now() - start) / 1000;
      if (i >= first) {
        times.push(seconds);
        spent += seconds;
      }
    }
    return times.sort((a, b) => a - b)[times.length >> 1]!;
  } finally {
    bench.destroy();
  }
}
