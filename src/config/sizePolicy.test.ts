import { describe, expect, it } from 'vitest';
import { architectureSizeProblems, SIZE_LIMITS, SizeLimitError, assertSizes, settingSizeProblems, sizeProblem, trainingSizeProblems } from './sizePolicy.ts';

describe('size policy', () => {
  it('caps each size at 16× the largest MAD value', () => {
    expect(SIZE_LIMITS.vocabSize.limit).toBe(131_072);
    expect(SIZE_LIMITS.seqLen.limit).toBe(16_384);
    expect(SIZE_LIMITS.numTrainExamples.limit).toBe(204_800);
    expect(SIZE_LIMITS.dim.limit).toBe(2_048);
    expect(SIZE_LIMITS.layers.limit).toBe(64);
    expect(SIZE_LIMITS.batchSize.limit).toBe(2_048);
  });

  it('accepts every value up to the limit and refuses the next', () => {
    expect(sizeProblem('vocabSize', 131_072, 'setting')).toBeNull();
    const problem = sizeProblem('vocabSize', 131_073, 'setting')!;
    expect(problem).toMatchObject({ path: 'setting', key: 'vocabSize', limit: 131_072, value: 131_073 });
    expect(problem.message).toBe("Vocabulary size 131,073 is over the limit of 131,072 (16× MAD's largest vocabulary (8,192)): use a smaller vocabulary.");
  });

  it('refuses what is not a whole number, huge or not', () => {
    expect(sizeProblem('seqLen', 2 ** 31, 'setting')?.key).toBe('seqLen');
    expect(sizeProblem('seqLen', 1.5, 'setting')?.message).toMatch(/whole number up to 16,384, got 1.5/);
    expect(sizeProblem('seqLen', '32', 'setting')?.message).toMatch(/got "32"/);
    expect(sizeProblem('seqLen', Number.NaN, 'setting')).not.toBeNull();
  });

  it('checks the sizes of settings, training and architectures that are present', () => {
    expect(settingSizeProblems({ vocabSize: 2 ** 31, seqLen: 32 }).map((p) => p.key)).toEqual(['vocabSize']);
    expect(trainingSizeProblems({ epochs: 1e9, batchSize: 128 }).map((p) => p.key)).toEqual(['epochs']);
    const spec = { dim: 4096, layers: new Array(10_000).fill({ type: 'mlp' }), name: 'x'.repeat(1000) };
    expect(architectureSizeProblems(spec).map((p) => [p.key, p.value])).toEqual([
      ['dim', 4096],
      ['layers', 10_000],
      ['name', 1000],
    ]);
    expect(architectureSizeProblems({ dim: 128, layers: [{ type: 'mlp' }], name: 'ok' })).toEqual([]);
  });

  it('throws one error that keeps the structured problems', () => {
    expect(() => assertSizes([])).not.toThrow();
    try {
      assertSizes(settingSizeProblems({ vocabSize: 1e8 }));
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(SizeLimitError);
      expect((err as SizeLimitError).problems[0]!.key).toBe('vocabSize');
      expect((err as Error).message).toMatch(/Vocabulary size 100,000,000 is over the limit/);
    }
  });
});
