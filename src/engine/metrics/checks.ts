// GPU-versus-reference checks of the metric-sum kernel: two batches accumulated on the GPU
// against the same sums computed on the CPU with the torchmetrics-exact macroAccuracy.

import { compileGraph } from '../compile.ts';
import { Graph } from '../graph.ts';
import type { KernelCheck } from '../ops/kernelCheck.ts';
import { macroAccuracy, microAccuracy } from '../ops/crossEntropy/metrics.ts';
import { testGpu } from '../testing/gpu.ts';
import { randomInts } from '../testing/random.ts';
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

function referenceSums(batches: BatchStats[], weight: number): number[] {
  const sums = new Array<number>(METRIC_SUMS.length).fill(0);
  for (const b of batches) {
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
      const weight = 128;
      const batches = losses.map((l, i) => batchStats(vocab, 10 * i + 1, l));
      const g = new Graph();
      const loss = g.input([1], 'f32', 'loss');
      const perClass = g.input([3, vocab], 'u32', 'perClass');
      const totals = g.input([2], 'u32', 'totals');
      const sums = accumulateMetrics(g, loss, { perClass, totals }, weight);
      const compiled = await compileGraph(g, await testGpu());
      for (const b of batches) {
        compiled.write(loss, new Float32Array([b.loss]));
        compiled.write(perClass, b.perClass);
        compiled.write(totals, b.totals);
        compiled.run(['forward']);
      }
      const actual = await compiled.read(sums);
      compiled.destroy();
      // 'forward': the kernel runs in the forward phase; it has no backward (it is a metric).
      return [{ what: 'forward sums', actual, expected: referenceSums(batches, weight) }];
    },
  };
}

export const metricChecks: KernelCheck[] = [metricCheck(5, [1.5, 0.25]), metricCheck(300, [2, Number.NaN, 0.5])];
