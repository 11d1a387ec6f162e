import { describe, expect, it } from 'vitest';
import { assertDataFitsVocabulary, buildDataset, testOverlapFraction, type SplitData } from './dataset.ts';
import { makeSetting } from './settings.ts';
import { createTaskStream } from './stream.ts';

function split(rows: number[][]): SplitData {
  const inputLength = rows[0]?.length ?? 0;
  return { inputs: Int32Array.from(rows.flat()), targets: new Int32Array(rows.length * inputLength), count: rows.length, inputLength };
}

describe('buildDataset', () => {
  it('stores train then test rows from one stream', () => {
    const setting = makeSetting('in-context-recall', { numTrainExamples: 30, numTestExamples: 10 });
    const dataset = buildDataset(setting);
    expect(dataset.train).toMatchObject({ count: 30, inputLength: 127 });
    expect(dataset.test).toMatchObject({ count: 10, inputLength: 127 });
    expect(dataset.train.inputs.length).toBe(30 * 127);
    expect(dataset.test.targets.length).toBe(10 * 127);

    const stream = createTaskStream(setting);
    for (let row = 0; row < 30; row++) {
      const { inputs, targets } = stream.next('train');
      expect(dataset.train.inputs.subarray(row * 127, (row + 1) * 127)).toEqual(inputs);
      expect(dataset.train.targets.subarray(row * 127, (row + 1) * 127)).toEqual(targets);
    }
    for (let row = 0; row < 10; row++) {
      const { inputs, targets } = stream.next('test');
      expect(dataset.test.inputs.subarray(row * 127, (row + 1) * 127)).toEqual(inputs);
      expect(dataset.test.targets.subarray(row * 127, (row + 1) * 127)).toEqual(targets);
    }
  });

  it('reports progress up to the total', () => {
    const calls: [number, number][] = [];
    buildDataset(makeSetting('compression', { seqLen: 32, numTrainExamples: 1100, numTestExamples: 100 }), {
      onProgress: (done, total) => calls.push([done, total]),
    });
    expect(calls.at(-1)).toEqual([1200, 1200]);
    expect(calls.every(([done], i) => i === 0 || done >= (calls[i - 1]?.[0] ?? 0))).toBe(true);
  });

  it('warns when test inputs also occur in training', () => {
    // One key and two pairs: every memorization sequence is the same.
    const leaky = buildDataset(makeSetting('memorization', { vocabSize: 4, seqLen: 4, numTrainExamples: 20, numTestExamples: 5 }));
    expect(leaky.leakage.overlapFraction).toBe(1);
    expect(leaky.leakage.warning).toMatch(/100\.00 % of distinct test inputs/);

    const clean = buildDataset(makeSetting('in-context-recall', { numTrainExamples: 500, numTestExamples: 100 }));
    expect(clean.leakage).toEqual({ overlapFraction: 0 });
  });

  // Its speed is measured by bench/dataGeneration.ts (docs/benchmarks.md), not asserted here.
  it('builds a full-size 12,800 × 1,024 dataset (fuzzy recall, the slowest generator)', () => {
    const setting = makeSetting('fuzzy-in-context-recall', { seqLen: 1024, kMotifSize: 3, vMotifSize: 3 });
    const dataset = buildDataset(setting);
    expect(dataset.train.inputs.length).toBe(12_800 * 1024);
    expect(dataset.test.inputs.length).toBe(1_280 * 1024);
    expect(dataset.leakage.overlapFraction).toBe(0);
  });
});

describe('testOverlapFraction', () => {
  it('counts distinct test rows found in training', () => {
    const train = split([[1, 2, 3], [4, 5, 6]]);
    const test = split([[1, 2, 3], [1, 2, 3], [7, 8, 9], [4, 5, 7]]);
    expect(testOverlapFraction(train, test)).toBeCloseTo(1 / 3, 12);
    expect(testOverlapFraction(train, split([]))).toBe(0);
  });
});

describe('assertDataFitsVocabulary', () => {
  const data = buildDataset(makeSetting('memorization', { vocabSize: 32, seqLen: 8, numTrainExamples: 8, numTestExamples: 4 }));

  it('passes generated data and names every token, target and shape that would not train', () => {
    expect(() => assertDataFitsVocabulary(data, 32)).not.toThrow();
    const train = { ...data.train, inputs: data.train.inputs.slice(), targets: data.train.targets.slice() };
    train.inputs[9] = 2_000_000_000;
    train.targets[1] = -7;
    const test = { ...data.test, inputs: data.test.inputs.subarray(1) };
    expect(() => assertDataFitsVocabulary({ train, test }, 32)).toThrow(
      'The data cannot be trained with a vocabulary of 32: train inputs: token 2000000000 at row 1, position 1 is outside [0, 32); ' +
        'train targets: target -7 at row 0, position 1 is neither in [0, 32) nor -100; test inputs: 31 values, not the 4 × 8 of the split.',
    );
    // Tokens of a larger vocabulary do not fit a smaller one.
    expect(() => assertDataFitsVocabulary(data, 8)).toThrow(/is outside \[0, 8\)/);
  });
});
