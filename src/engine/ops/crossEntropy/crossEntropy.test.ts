import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../compile.ts';
import { Graph } from '../../graph.ts';
import { itPassesKernelChecks } from '../../testing/expectChecks.ts';
import { testGpu } from '../../testing/gpu.ts';
import { gradcheck } from '../../testing/gradcheck.ts';
import { randomArray } from '../../testing/random.ts';
import { CROSS_ENTROPY_CASES, crossEntropyChecks, runCrossEntropy } from './checks.ts';
import { crossEntropy, crossEntropyCounters, zeroCrossEntropyCounters } from './crossEntropy.ts';
import { macroAccuracy, microAccuracy } from './metrics.ts';
import {
  crossEntropyBackwardReference,
  crossEntropyForwardReference,
  macroAccuracyFromPredictions,
} from './reference.ts';

/** [3, V] counters from predictions and targets (the layout the kernel writes). */
function countersOf(preds: number[], targets: number[], vocab: number): Uint32Array {
  const c = new Uint32Array(3 * vocab);
  targets.forEach((t, i) => {
    if (t < 0 || t >= vocab) return;
    c[vocab + t]! += 1;
    c[2 * vocab + preds[i]!]! += 1;
    if (preds[i] === t) c[t]! += 1;
  });
  return c;
}

describe('cross-entropy', () => {
  it('reference backward matches finite differences (with ignored rows)', () => {
    const vocab = 5;
    const targets = Int32Array.from([2, -100, 0, 4, 4, -100]);
    const logits = randomArray(targets.length * vocab, 1, -3, 3);
    const dLoss = 0.8;
    const analytic = crossEntropyBackwardReference(logits, targets, vocab, dLoss);
    const result = gradcheck(
      (xs) => Float64Array.of(crossEntropyForwardReference(xs[0]!, targets, vocab).loss),
      [logits],
      Float64Array.of(dLoss),
      [analytic],
      [0],
    );
    expect(result.maxAbsDiff).toBeLessThan(1e-8);
    // Ignored rows get exactly zero gradient.
    expect(Array.from(analytic.subarray(vocab, 2 * vocab))).toEqual([0, 0, 0, 0, 0]);
  });

  it('reference loss is 0 with 0 gradient when every target is ignored', () => {
    const logits = randomArray(3 * 4, 2);
    const targets = [-100, -100, -100];
    expect(crossEntropyForwardReference(logits, targets, 4).loss).toBe(0);
    expect(Array.from(crossEntropyBackwardReference(logits, targets, 4, 1)).every((x) => x === 0)).toBe(true);
  });

  it('macro accuracy: hand-computed cases (torchmetrics semantics)', () => {
    // V = 4. Class 0: 2 targets, 1 hit → 0.5. Class 1: 1 target, hit → 1. Class 2: absent from
    // targets and predictions → skipped. Class 3: predicted once, never a target → counts as 0.
    // (0.5 + 1 + 0) / 3 = 0.5; skipping class 3 would give 0.75, counting class 2 would give 0.375.
    const preds = [0, 3, 1];
    const targets = [0, 0, 1];
    expect(macroAccuracy(countersOf(preds, targets, 4))).toBeCloseTo(0.5, 15);
    expect(macroAccuracyFromPredictions(preds, targets, 4)).toBeCloseTo(0.5, 15);
    // Ignored positions drop their prediction too: class 3 predicted only there → skipped.
    const p2 = [0, 1, 1, 1, 3];
    const t2 = [0, 0, 1, 2, -100];
    // class 0: 1/2, class 1: 1/1 (one FP does not lower recall), class 2: 0/1 → (0.5 + 1 + 0) / 3.
    expect(macroAccuracy(countersOf(p2, t2, 4))).toBeCloseTo(0.5, 15);
    expect(macroAccuracyFromPredictions(p2, t2, 4)).toBeCloseTo(0.5, 15);
    expect(microAccuracy([4, 2])).toBe(0.5);
    // A perfect batch on 2 of 5 classes is 1, not 2/5.
    expect(macroAccuracy(countersOf([1, 1, 4], [1, 1, 4], 5))).toBe(1);
    // Nothing scored: 0 (torchmetrics' safe divide), for both.
    expect(macroAccuracy(new Uint32Array(12))).toBe(0);
    expect(microAccuracy([0, 0])).toBe(0);
  });

  it('GPU counters give the same macro and micro accuracy as torchmetrics on the GPU argmax', async () => {
    for (const c of [CROSS_ENTROPY_CASES[0]!, CROSS_ENTROPY_CASES[2]!, CROSS_ENTROPY_CASES[4]!]) {
      const { extras } = await runCrossEntropy(c);
      const [argmax, , perClass, totals] = extras;
      const preds = Array.from(argmax!);
      const targets = Array.from(c.targets, (t) => (t >= 0 && t < c.vocab ? t : -100));
      const expected = macroAccuracyFromPredictions(preds, targets, c.vocab);
      expect(macroAccuracy(perClass!)).toBeCloseTo(expected, 12);
      const scored = targets.filter((t) => t !== -100).length;
      const correct = targets.filter((t, i) => t !== -100 && preds[i] === t).length;
      expect(microAccuracy(totals!)).toBeCloseTo(scored ? correct / scored : 0, 12);
    }
  });

  it('counters describe one batch when zeroed each step, and accumulate otherwise', async () => {
    const gpu = await testGpu();
    const c = CROSS_ENTROPY_CASES[0]!;
    const ref = crossEntropyForwardReference(Float64Array.from(Float32Array.from(c.logits)), c.targets, c.vocab);
    for (const zero of [true, false]) {
      const g = new Graph(gpu.target);
      const z = g.input([c.rows, c.vocab], 'f32', 'logits', Float32Array.from(c.logits));
      const t = g.input([c.rows], 'i32', 'targets', c.targets);
      const counters = crossEntropyCounters(g, c.vocab);
      if (zero) zeroCrossEntropyCounters(g, counters);
      crossEntropy(g, z, t, counters);
      const compiled = await compileGraph(g, gpu);
      compiled.run(['forward']);
      compiled.run(['forward']);
      const perClass = Array.from(await compiled.read(counters.perClass));
      const totals = Array.from(await compiled.read(counters.totals));
      compiled.destroy();
      const factor = zero ? 1 : 2;
      expect(perClass).toEqual(Array.from(ref.perClass, (x) => x * factor));
      expect(totals).toEqual(Array.from(ref.totals, (x) => x * factor));
    }
  });

  itPassesKernelChecks(crossEntropyChecks);
});
