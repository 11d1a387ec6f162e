import { describe, expect, it } from 'vitest';
import { IGNORE_INDEX, type TaskInstance } from '../../tasks/types.ts';
import { countMarks, describeMark, predictionMarks } from './predictionMarks.ts';

const instance: TaskInstance = {
  inputs: new Int32Array([3, 4, 5, 6, 7]),
  targets: new Int32Array([IGNORE_INDEX, 9, IGNORE_INDEX, 2, 1]),
  roles: ['key', 'value', 'key', 'value', 'key'],
};

describe('predictionMarks', () => {
  it('marks each scored position right or wrong and skips the unscored ones', () => {
    const prediction = { predictions: new Int32Array([0, 9, 5, 3, 1]), probabilities: new Float32Array([0.1, 0.9, 0.2, 0.4, 0.6]) };
    const marks = predictionMarks(instance, prediction);
    expect(marks.map(({ position, target, predicted, right }) => ({ position, target, predicted, right }))).toEqual([
      { position: 1, target: 9, predicted: 9, right: true },
      { position: 3, target: 2, predicted: 3, right: false },
      { position: 4, target: 1, predicted: 1, right: true },
    ]);
    expect(marks[1]!.probability).toBeCloseTo(0.4, 6);
    expect(countMarks(marks)).toEqual({ right: 2, scored: 3 });
    expect(describeMark(marks[0]!)).toBe('position 1: predicted 9, target 9, right');
    expect(describeMark(marks[1]!)).toBe('position 3: predicted 3, target 2, wrong');
  });

  it('refuses predictions of another length', () => {
    expect(() => predictionMarks(instance, { predictions: new Int32Array(4), probabilities: new Float32Array(4) })).toThrow(/4 positions, the instance has 5/);
  });
});
