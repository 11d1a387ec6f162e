import { describe, expect, it } from 'vitest';
import { itPassesKernelChecks } from '../../testing/expectChecks.ts';
import { gradcheck } from '../../testing/gradcheck.ts';
import { randomArray, randomInts } from '../../testing/random.ts';
import { EMBEDDING_CASES, embeddingChecks, runEmbedding } from './checks.ts';
import { embeddingBackwardF32Emulation, embeddingBackwardReference, embeddingForwardReference } from './reference.ts';

describe('embedding', () => {
  it('reference backward matches finite differences (repeated and invalid ids)', () => {
    const vocab = 4;
    const dim = 3;
    const ids = Int32Array.from([2, 0, 2, 2, -1, 3, 0, 4, 2]);
    const table = randomArray(vocab * dim, 1);
    const dOut = randomArray(ids.length * dim, 2);
    const analytic = embeddingBackwardReference(ids, dOut, vocab, dim);
    const result = gradcheck((xs) => embeddingForwardReference(ids, xs[0]!, vocab, dim), [table], dOut, [analytic], [0]);
    expect(result.maxAbsDiff).toBeLessThan(1e-8);
    // Row 1 is never used: its gradient is exactly zero; row 2 collects four positions.
    expect(Array.from(analytic.subarray(dim, 2 * dim))).toEqual([0, 0, 0]);
  });

  it('backward sums each row in its documented fixed order (bit-exact f32 emulation) and is repeatable', async () => {
    for (const [i, c] of [EMBEDDING_CASES[0]!, EMBEDDING_CASES[2]!].entries()) {
      const first = await runEmbedding(c, 300 + i, 400 + i);
      const second = await runEmbedding(c, 300 + i, 400 + i);
      const emulated = embeddingBackwardF32Emulation(c.ids, first.dOut.f32, c.vocab, c.dim);
      expect(Array.from(first.grads[1]!)).toEqual(Array.from(emulated));
      expect(Array.from(second.grads[1]!)).toEqual(Array.from(first.grads[1]!));
    }
  });

  it('f32 emulation differs from a naive sequential sum (so the bit-exact test can fail)', () => {
    const ids = randomInts(400, 2, 5);
    const dOut = Float32Array.from(randomArray(400 * 4, 6));
    const emulated = embeddingBackwardF32Emulation(ids, dOut, 2, 4);
    const naive = new Float32Array(8);
    for (let n = 0; n < 400; n++) for (let c = 0; c < 4; c++) naive[ids[n]! * 4 + c] = Math.fround(naive[ids[n]! * 4 + c]! + dOut[n * 4 + c]!);
    expect(Array.from(emulated)).not.toEqual(Array.from(naive));
  });

  itPassesKernelChecks(embeddingChecks);
});
