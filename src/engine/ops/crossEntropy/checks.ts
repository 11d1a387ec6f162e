// GPU-versus-reference checks of the fused cross-entropy: loss, per-row loss, argmax, accuracy
// counters (forward) and dlogits (backward).

import type { KernelCheck } from '../kernelCheck.ts';
import { runOp } from '../../testing/opHarness.ts';
import { asF32, randomArray, randomInts } from '../../testing/random.ts';
import { KERNEL_TARGETS, type KernelTarget } from '../../../config/kernelTarget.ts';
import { MAD_KERNEL_SHAPE, MAD_SHAPE_TAG, MAD_VOCAB } from '../madShape.ts';
import { crossEntropyCounters, crossEntropyWithArgmax, IGNORE_INDEX, zeroCrossEntropyCounters } from './crossEntropy.ts';
import { crossEntropyBackwardReference, crossEntropyForwardReference } from './reference.ts';

export interface CrossEntropyCase {
  name: string;
  rows: number;
  vocab: number;
  logits: Float64Array;
  targets: Int32Array;
}

/** Every `every`-th target is ignored (−100); every `every + 3`-th is out of range (also ignored). */
function targetsWithIgnored(rows: number, vocab: number, seed: number, every: number): Int32Array {
  const t = randomInts(rows, vocab, seed);
  for (let i = 0; i < rows; i++) {
    if (every > 0 && i % every === every - 1) t[i] = IGNORE_INDEX;
    else if (every > 0 && i % (every + 3) === every + 2) t[i] = vocab;
  }
  return t;
}

function ceCase(name: string, rows: number, vocab: number, seed: number, every: number, lo = -4, hi = 4): CrossEntropyCase {
  return { name, rows, vocab, logits: randomArray(rows * vocab, seed, lo, hi), targets: targetsWithIgnored(rows, vocab, seed + 1, every) };
}

export const CROSS_ENTROPY_CASES: CrossEntropyCase[] = [
  ceCase('N=37 V=11 (ignored rows)', 37, 11, 1, 5),
  ceCase('N=6 V=3000 (row loops over V)', 6, 3000, 2, 4, -8, 8),
  ceCase('N=300 V=5 (many rows, contended counters)', 300, 5, 3, 7),
  ceCase('N=4 V=7 (all ignored)', 4, 7, 4, 1),
  ceCase('N=9 V=100 (128 invocations per row)', 9, 100, 7, 4, -6, 6),
  {
    // Integer logits in {0, 1, 2}: many ties, argmax must take the first index.
    name: 'N=50 V=9 (ties)',
    rows: 50,
    vocab: 9,
    logits: Float64Array.from(randomInts(50 * 9, 3, 5)),
    targets: targetsWithIgnored(50, 9, 6, 6),
  },
];

/** Upstream gradient of the loss: not 1, so a kernel that ignores dloss fails. */
export const CE_DLOSS = 1.7;

export async function runCrossEntropy(c: CrossEntropyCase, layout?: KernelTarget) {
  const logits = asF32(c.logits);
  const result = await runOp(
    [
      { shape: [c.rows, c.vocab], data: logits.f32 },
      { shape: [c.rows], data: c.targets },
    ],
    (g, [z, t]) => {
      const counters = crossEntropyCounters(g, c.vocab);
      zeroCrossEntropyCounters(g, counters);
      const r = crossEntropyWithArgmax(g, z!, t!, counters, layout);
      return { output: r.loss, extras: [r.argmax, r.rowLoss, counters.perClass, counters.totals] };
    },
    new Float32Array([CE_DLOSS]),
  );
  return { logits, ...result };
}

/** `layout` absent: the row layout the graph's target picks, as the loss gets it. */
function ceCheck(c: CrossEntropyCase, layout?: KernelTarget): KernelCheck {
  return {
    name: `cross-entropy (${layout ?? 'target'} rows) ${c.name}`,
    // Losses are O(1–10): f32 logsumexp is good to ~1e-6 of them. Gradients are O(dloss/n) ≈ 1e-2:
    // their error is p's relative error (~1e-6) times that, well under atol. Integers are exact.
    tolerance: { atol: 1e-7, rtol: 1e-5 },
    async run() {
      const { logits, output, grads, extras } = await runCrossEntropy(c, layout);
      const ref = crossEntropyForwardReference(logits.f64, c.targets, c.vocab);
      const [argmax, rowLoss, perClass, totals] = extras;
      return [
        { what: 'forward loss', actual: output, expected: [ref.loss] },
        { what: 'forward row loss', actual: rowLoss!, expected: ref.rowLoss },
        { what: 'forward argmax', actual: argmax!, expected: ref.argmax },
        { what: 'forward counters [3, V]', actual: perClass!, expected: ref.perClass },
        { what: 'forward totals', actual: totals!, expected: ref.totals },
        { what: 'backward dlogits', actual: grads[0]!, expected: crossEntropyBackwardReference(logits.f64, c.targets, c.vocab, CE_DLOSS) },
      ];
    },
  };
}

/** Every case with both row layouts (a power-of-two tree per row on GPUs, a short loop on CPUs). */
export const crossEntropyChecks: KernelCheck[] = KERNEL_TARGETS.flatMap((layout) => CROSS_ENTROPY_CASES.map((c) => ceCheck(c, layout)));

/**
 * MAD's loss shape: 32·128 rows of in-context recall's 16 logits, on the layout the adapter's target
 * picks, so thousands of rows contend for the accuracy counters and the loss sums 4,096 rows.
 */
export const crossEntropyMadShapeCheck: KernelCheck = (() => {
  const rows = MAD_KERNEL_SHAPE.batch * MAD_KERNEL_SHAPE.seqLen;
  return ceCheck(ceCase(`N=${rows} V=${MAD_VOCAB} ${MAD_SHAPE_TAG}`, rows, MAD_VOCAB, 8, 9));
})();
