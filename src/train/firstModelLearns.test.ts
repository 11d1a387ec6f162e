// The whole path — data, forward, loss, backward, optimizer, readback — on a model that must
// learn: embedding → two pre-norm residual MLP layers → head, on a small memorization setting.
//
// A position-wise MLP cannot see the key when it reads memorization's insert token (the task
// needs token mixing; that is the layers' job, issue 4), so this test scores each fact at its
// key token instead: the same fixed key→value table, the same held-out test draws, learnable
// without mixing. Accuracy is MAD's macro accuracy, averaged per batch.

import { describe, expect, it } from 'vitest';
import type { InitialData } from '../engine/graph.ts';
import { testGpu } from '../engine/testing/gpu.ts';
import { TrainingStep } from '../engine/trainingStep.ts';
import { buildDataset, type SplitData } from '../tasks/dataset.ts';
import { makeSetting } from '../tasks/settings.ts';
import { IGNORE_INDEX } from '../tasks/types.ts';
import { buildTrainingProgram } from './trainingProgram.ts';

const V = 64;
const L = 16;
const BATCH = 32;
const DIM = 32;
const EPOCHS = 12;

/** Moves each value target from the insert position onto its key (see the header). */
function scoreFactsAtKeys(split: SplitData): Int32Array {
  const targets = new Int32Array(split.targets.length).fill(IGNORE_INDEX);
  for (let i = 0; i + 1 < split.targets.length; i += 2) targets[i] = split.targets[i + 1]!;
  return targets;
}

function batches(split: SplitData, targets: Int32Array, order: number[]): InitialData[][] {
  const out: InitialData[][] = [];
  for (let start = 0; start + BATCH <= order.length; start += BATCH) {
    const ids = new Int32Array(BATCH * L);
    const tgt = new Int32Array(BATCH * L);
    for (let b = 0; b < BATCH; b++) {
      const row = order[start + b]!;
      ids.set(split.inputs.subarray(row * L, (row + 1) * L), b * L);
      tgt.set(targets.subarray(row * L, (row + 1) * L), b * L);
    }
    out.push([ids, tgt]);
  }
  return out;
}

describe('first model', () => {
  it('learns memorization facts to ≥ 0.95 test accuracy with a falling loss', { timeout: 300_000 }, async () => {
    const dataset = buildDataset(makeSetting('memorization', { vocabSize: V, seqLen: L, numTrainExamples: 256, numTestExamples: 128 }));
    const layer = { type: 'mlp', config: { dim_inner: 4 * DIM } };
    const gpu = await testGpu();
    const program = buildTrainingProgram({
      architecture: { version: 1, dim: DIM, layers: [layer, layer] },
      target: gpu.target,
      vocabSize: V,
      batchSize: BATCH,
      seqLen: L,
      weightDecay: 0,
      seed: 7,
    });
    const step = await TrainingStep.compile(gpu, program);
    const trainTargets = scoreFactsAtKeys(dataset.train);
    const testTargets = scoreFactsAtKeys(dataset.test);
    const testBatches = batches(dataset.test, testTargets, [...Array(dataset.test.count).keys()]);

    const evaluate = async (): Promise<number> => {
      let test: Promise<{ macroAccuracy: number }> | null = null;
      testBatches.forEach((batch, i) => {
        test = step.evaluate(batch, { readMetrics: i === testBatches.length - 1 }) ?? test;
      });
      return (await test!).macroAccuracy;
    };
    const untrainedAccuracy = await evaluate();

    const epochLoss: number[] = [];
    let testAccuracy = 0;
    for (let epoch = 0; epoch < EPOCHS; epoch++) {
      // A fixed rotation per epoch varies batch composition deterministically.
      const order = [...Array(dataset.train.count).keys()].map((i) => (i * 37 + epoch * 11) % dataset.train.count);
      const trainBatches = batches(dataset.train, trainTargets, order);
      let metrics: Promise<{ loss: number }> | null = null;
      trainBatches.forEach((batch, i) => {
        metrics = step.train(batch, 3e-3, { readMetrics: i === trainBatches.length - 1 }) ?? metrics;
      });
      epochLoss.push((await metrics!).loss);
    }
    testAccuracy = await evaluate();
    step.destroy();
    console.log(`untrained test macro accuracy ${untrainedAccuracy.toFixed(4)}; epochs ${epochLoss.length}, train loss per epoch ${epochLoss.map((l) => l.toFixed(3)).join(' ')}, test macro accuracy ${testAccuracy.toFixed(4)}`);

    expect(untrainedAccuracy).toBeLessThan(0.2); // chance is 1/31: the evaluation measures something
    expect(testAccuracy).toBeGreaterThanOrEqual(0.95);
    // Falling on average: every third of the run has a lower mean loss than the one before.
    const third = Math.max(1, Math.floor(epochLoss.length / 3));
    const means = [0, 1, 2].map((k) => epochLoss.slice(k * third, (k + 1) * third).reduce((a, b) => a + b, 0) / third);
    expect(means[1]).toBeLessThan(means[0]!);
    expect(means[2]).toBeLessThan(means[1]!);
    expect(epochLoss.at(-1)).toBeLessThan(epochLoss[0]! / 4);
  });
});
