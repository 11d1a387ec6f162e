// Gradient accumulation and partial batches against the plain full-batch step: the same model
// (same seed, so the same initial weights) trained on the same batches with 1, 2 and 4
// micro-batches, and a partial batch padded to the program's shape against a program of exactly
// that many rows, must end with the same parameters (up to f32 summation order) and report the
// same metrics. Targets are ignored at a different rate in every row, so micro-batches score
// different numbers of targets and an unweighted mean of their losses would fail.

import { describe, expect, it } from 'vitest';
import type { KernelTarget } from '../config/kernelTarget.ts';
import { testGpu } from '../engine/testing/gpu.ts';
import { TrainingStep } from '../engine/trainingStep.ts';
import type { MetricMeans } from '../engine/metrics/metricSums.ts';
import { gpuStats } from '../gpu/stats.ts';
import type { ArchitectureSpec } from '../model/architecture.ts';
import { Prng } from '../tasks/prng.ts';
import { IGNORE_INDEX } from '../tasks/types.ts';
import { planMicroBatches } from './microBatching.ts';
import { buildTrainingProgram } from './trainingProgram.ts';

const V = 8;
const T = 8;
const B = 8;
const ARCH: ArchitectureSpec = {
  version: 1,
  dim: 16,
  layers: [{ type: 'mh-attention', config: { n_heads: 2, rotary_emb_dim: 8 } }, { type: 'swiglu' }],
  init: 'current',
};
/** Relative L2 difference of the first step's gradients: f32 sums in another order. */
const GRADIENT_RTOL = 1e-5;
/**
 * After 4 steps at lr 1e-2: a step moves a weight by about lr·m̂/√v̂, and Adam's normalisation turns
 * a rounding-level difference in a near-zero gradient into a visible one, so the bar is 1 % of one
 * step (measured: ≈ 1e-5, printed).
 */
const PARAMETER_ATOL = 1e-4;

/** The training program at `rows` sequences, with `target`'s kernels. */
const programFor = (target: KernelTarget) => (rows: number) =>
  buildTrainingProgram({ architecture: ARCH, target, vocabSize: V, batchSize: rows, seqLen: T, weightDecay: 0.1, seed: 5 });

/** `rows` random rows; row r ignores each target with probability r / (rows + 1). */
function batch(rows: number, seed: number): [Int32Array, Int32Array] {
  const rng = new Prng(seed);
  const ids = Int32Array.from({ length: rows * T }, () => rng.integer(V));
  const targets = Int32Array.from({ length: rows * T }, (_, i) => (rng.random() < Math.floor(i / T) / (rows + 1) ? IGNORE_INDEX : rng.integer(V)));
  return [ids, targets];
}

interface Trained {
  initial: Float32Array;
  /** The parameter gradients of the first step. */
  firstGradient: Float32Array;
  parameters: Float32Array;
  metrics: MetricMeans[];
}

async function trainWith(rowsPerMicro: number, microBatches: number, batches: [Int32Array, Int32Array][]): Promise<Trained> {
  const gpu = await testGpu();
  const step = await TrainingStep.compile(gpu, programFor(gpu.target)(rowsPerMicro), { microBatches });
  const initial = await step.readParameters();
  const metrics: MetricMeans[] = [];
  let firstGradient: Float32Array = new Float32Array(0);
  for (const [i, b] of batches.entries()) {
    metrics.push(await step.train(b, 1e-2 * (1 - 0.1 * i), { readMetrics: true })!);
    if (i === 0) firstGradient = await step.compiled.readPool('paramGrad');
  }
  const parameters = await step.readParameters();
  step.destroy();
  return { initial, firstGradient, parameters, metrics };
}

function relativeL2(a: Float32Array, b: Float32Array): number {
  let d = 0;
  let n = 0;
  a.forEach((x, i) => {
    d += (x - b[i]!) ** 2;
    n += b[i]! ** 2;
  });
  return Math.sqrt(d / n);
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  return a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i]!)), 0);
}

describe('micro-batches and partial batches', () => {
  it('2 and 4 micro-batches give the full batch step (parameters and metrics)', { timeout: 120_000 }, async () => {
    const batches = [batch(B, 1), batch(B, 2), batch(B, 3), batch(B, 4)];
    const full = await trainWith(B, 1, batches);
    for (const k of [2, 4]) {
      const split = await trainWith(B / k, k, batches);
      expect(split.initial).toEqual(full.initial); // the same seed gives the same weights at any batch shape
      const gradient = relativeL2(split.firstGradient, full.firstGradient);
      const diff = maxAbsDiff(split.parameters, full.parameters);
      const moved = maxAbsDiff(full.parameters, full.initial);
      const lossDiff = Math.max(...split.metrics.map((m, i) => Math.abs(m.loss - full.metrics[i]!.loss)));
      const accDiff = Math.max(...split.metrics.map((m, i) => Math.abs(m.macroAccuracy - full.metrics[i]!.macroAccuracy)));
      console.log(
        `${k} micro-batches of ${B / k} vs one batch of ${B}: first gradient relative L2 diff ${gradient.toExponential(2)}; ` +
          `after 4 AdamW steps parameters max |diff| ${diff.toExponential(2)} ` +
          `(they moved up to ${moved.toExponential(2)}; tolerance ${PARAMETER_ATOL}); loss max |diff| ${lossDiff.toExponential(2)}, ` +
          `macro accuracy max |diff| ${accDiff.toExponential(2)}; losses ${split.metrics.map((m) => m.loss.toFixed(5)).join(' ')}`,
      );
      expect(moved).toBeGreaterThan(1e-2);
      expect(gradient).toBeLessThan(GRADIENT_RTOL);
      expect(diff).toBeLessThan(PARAMETER_ATOL);
      expect(lossDiff).toBeLessThan(1e-5);
      expect(accDiff).toBeLessThan(1e-6); // the same counters, summed over micro-batches
      split.metrics.forEach((m) => expect(m.weight).toBe(B));
    }
  });

  it('a partial batch padded with ignored rows equals a batch of exactly those rows, weighted by its real rows', { timeout: 120_000 }, async () => {
    const rows = 5;
    const batches = [batch(rows, 11), batch(rows, 12)];
    const exact = await trainWith(rows, 1, batches);
    const padded = await trainWith(B, 1, batches);
    const paddedMicro = await trainWith(B / 2, 2, batches); // micro-batch 2 holds one real row
    for (const [name, r] of [['padded to 8', padded], ['2 micro-batches of 4', paddedMicro]] as const) {
      const diff = maxAbsDiff(r.parameters, exact.parameters);
      const lossDiff = Math.max(...r.metrics.map((m, i) => Math.abs(m.loss - exact.metrics[i]!.loss)));
      console.log(`partial batch of ${rows} rows, ${name} vs a program of ${rows} rows: parameters max |diff| ${diff.toExponential(2)}, loss max |diff| ${lossDiff.toExponential(2)}`);
      expect(diff).toBeLessThan(PARAMETER_ATOL);
      expect(lossDiff).toBeLessThan(1e-5);
      r.metrics.forEach((m, i) => {
        expect(m.weight).toBe(rows);
        expect(m.macroAccuracy).toBeCloseTo(exact.metrics[i]!.macroAccuracy, 6);
      });
    }
  });

  it('a micro-batched step is still one submit and allocates nothing after warm-up', { timeout: 60_000 }, async () => {
    const gpu = await testGpu();
    const step = await TrainingStep.compile(gpu, programFor(gpu.target)(2), { microBatches: 4 });
    const full = batch(B, 21);
    const partial = batch(3, 22);
    await step.train(full, 1e-3, { readMetrics: true }); // warm-up
    const before = gpuStats(gpu.device);
    const pending: Promise<unknown>[] = [];
    for (let i = 0; i < 6; i++) {
      const read = step.train(i % 3 === 2 ? partial : full, 1e-3, { readMetrics: i % 2 === 1 });
      if (read) pending.push(read);
      if (pending.length === 2) await pending.shift();
    }
    await step.evaluate(partial, { readMetrics: true });
    await Promise.all(pending);
    const after = gpuStats(gpu.device);
    step.destroy();
    expect(after.submits - before.submits).toBe(7);
    expect(after.buffersCreated - before.buffersCreated).toBe(0);
    expect(after.bindGroupsCreated - before.bindGroupsCreated).toBe(0);
  });

  it('chooses the fewest micro-batches whose pools fit the device and the memory budget', () => {
    const program = programFor('cpu');
    const whole = program(B).graph.plannedBytes;
    const largest = Math.max(...Object.values(whole));
    const total = Object.values(whole).reduce((a, b) => a + b, 0);
    const roomy = { maxBufferSize: 2 ** 31, maxStorageBufferBindingSize: 2 ** 31 };
    expect(planMicroBatches(program, B, roomy).microBatches).toBe(1);
    const tight = planMicroBatches(program, B, { ...roomy, maxStorageBufferBindingSize: largest - 1 });
    const quarterBytes = Object.values(program(B / 4).graph.plannedBytes).reduce((a, b) => a + b, 0);
    const budgeted = planMicroBatches(program, B, roomy, { budgetBytes: quarterBytes });
    console.log(
      `pools at batch ${B}: ${total} bytes, largest ${largest}; binding limit ${largest - 1} → ${tight.microBatches} micro-batches of ` +
        `${tight.microBatchRows}; budget ${quarterBytes} → ${budgeted.microBatches} of ${budgeted.microBatchRows}`,
    );
    expect(tight.microBatches).toBe(2);
    expect(tight.program.ids.shape).toEqual([B / 2, T]);
    expect(budgeted.microBatches).toBe(4);
    expect(budgeted.bytes).toBe(quarterBytes);
    expect(planMicroBatches(program, B, roomy, { forced: 4 }).microBatchRows).toBe(2);
    expect(() => planMicroBatches(program, B, { maxBufferSize: 1024, maxStorageBufferBindingSize: 1024 })).toThrow(/does not fit this GPU/);
  });
});
