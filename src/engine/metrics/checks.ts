// GPU-versus-reference checks of the metric-sum kernel: batches of different weights (the last
// batch of an epoch is partial) accumulated on the GPU against the same sums computed on the CPU
// with the torchmetrics-exact macroAccuracy; and of the batch loss of micro-batches.

import { compileGraph } from '../compile.ts';
import { Graph } from '../graph.ts';
import type { KernelCheck } from '../ops/kernelCheck.ts';
import { macroAccuracy, microAccuracy } from '../ops/crossEntropy/metrics.ts';
import { testGpu } from '../testing/gpu.ts';
import { randomInts } from '../testing/random.ts';
import { accumulateBatchLoss } from './batchLoss.ts';
import { METRIC_SUMS, accumulateMetrics } from './metricSums.ts';

interface BatchStats {
  loss: number;
  perClass: Uint32Array;
  totals: Uint32Array;
}

/** Consistent counters: TP ≤ targets and predictions per class, totals matching the sums. */
function batchStats(vocab: number, seed: number, loss: number): BatchStats {
  const targets = randomInts(200, vocab, seed);
  const predictions = randomInts(200, vocab, seed + 1);
  const perClass = new Uint32Array(3 * vocab);
  let correct = 0;
  targets.forEach((t, i) => {
    const p = i % 3 === 0 ? t : predictions[i]!; // a third right by construction
    perClass[vocab + t]! += 1;
    perClass[2 * vocab + p]! += 1;
    if (p === t) {
      perClass[t]! += 1;
      correct += 1;
    }
  });
  return { loss, perClass, totals: new Uint32Array([targets.length, correct]) };
}

function referenceSums(batches: BatchStats[], weights: readonly number[]): number[] {
  const sums = new Array<number>(METRIC_SUMS.length).fill(0);
  for (const [i, b] of batches.entries()) {
    const weight = weights[i]!;
    if (Number.isFinite(b.loss)) {
      sums[0]! += weight * b.loss;
      sums[1]! += weight * macroAccuracy(b.perClass);
      sums[2]! += weight * microAccuracy(b.totals);
      sums[3]! += weight * Math.exp(b.loss);
      sums[4]! += weight;
    } else {
      sums[7]! += 1;
    }
    sums[5]! += b.totals[0]!;
    sums[6]! += b.totals[1]!;
  }
  return sums;
}

function metricCheck(vocab: number, losses: number[]): KernelCheck {
  return {
    name: `metrics accumulate V=${vocab} losses ${losses.join(',')}`,
    tolerance: { atol: 1e-5, rtol: 1e-5 },
    async run() {
      // Full batches of 128 rows and a partial last one of 37.
      const weights = losses.map((_, i) => (i === losses.length - 1 ? 37 : 128));
      const batches = losses.map((l, i) => batchStats(vocab, 10 * i + 1, l));
      const gpu = await testGpu();
      const g = new Graph(gpu.target);
      const loss = g.input([1], 'f32', 'loss');
      const perClass = g.input([3, vocab], 'u32', 'perClass');
      const totals = g.input([2], 'u32', 'totals');
      const weight = g.input([1], 'f32', 'weight');
      const sums = accumulateMetrics(g, loss, { perClass, totals }, weight);
      const compiled = await compileGraph(g, gpu);
      for (const [i, b] of batches.entries()) {
        compiled.write(loss, new Float32Array([b.loss]));
        compiled.write(perClass, b.perClass);
        compiled.write(totals, b.totals);
        compiled.write(weight, new Float32Array([weights[i]!]));
        compiled.run(['forward']);
      }
      const actual = await compiled.read(sums);
      compiled.destroy();
      // 'forward': the kernel runs in the forward phase; it has no backward (it is a metric).
      return [{ what: 'forward sums', actual, expected: referenceSums(batches, weights) }];
    },
  };
}

/** Micro-batch losses and their shares of the batch's scored targets, run as one batch twice. */
function batchLossCheck(losses: readonly number[], shares: readonly number[]): KernelCheck {
  return {
    name: `batch loss of micro-batches ${losses.join(',')} with shares ${shares.join(',')}`,
    tolerance: { atol: 1e-6, rtol: 1e-6 },
    async run() {
      const gpu = await testGpu();
      const g = new Graph(gpu.target);
      const loss = g.input([1], 'f32', 'loss');
      const share = g.input([1], 'f32', 'share');
      const batchLoss = accumulateBatchLoss(g, loss, share);
      const compiled = await compileGraph(g, gpu);
      const runBatch = (): void => {
        compiled.run(['batchStart']);
        losses.forEach((l, i) => {
          compiled.write(loss, new Float32Array([l]));
          compiled.write(share, new Float32Array([shares[i]!]));
          compiled.run(['forward']);
        });
      };
      runBatch();
      runBatch(); // the second batch starts from zero again
      const actual = await compiled.read(batchLoss);
      compiled.destroy();
      const expected = losses.reduce((sum, l, i) => sum + l * shares[i]!, 0);
      return [{ what: 'forward batch loss', actual, expected: [expected] }];
    },
  };
}

export const metricChecks: KernelCheck[] = [
  metricCheck(5, [1.5, 0.25]),
  metricCheck(300, [2, Number.NaN, 0.5]),
  batchLossCheck([1.25, 0.5, 2], [0.5, 0.125, 0.375]),
];
