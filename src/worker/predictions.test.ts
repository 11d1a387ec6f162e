import { describe, expect, it } from 'vitest';
import { predictFromLogits } from './predictions.ts';

describe('predictFromLogits', () => {
  it('takes the argmax per position and the softmax probability of that token', () => {
    // Two positions over a vocabulary of 3.
    const logits = new Float32Array([0, 2, 1, 5, -1, 5]);
    const { predictions, probabilities } = predictFromLogits(logits, 3);
    expect(Array.from(predictions)).toEqual([1, 0]); // the tie at position 1 goes to the lower id
    const expected0 = Math.exp(2) / (Math.exp(0) + Math.exp(2) + Math.exp(1));
    const expected1 = Math.exp(5) / (2 * Math.exp(5) + Math.exp(-1));
    expect(probabilities[0]).toBeCloseTo(expected0, 6);
    expect(probabilities[1]).toBeCloseTo(expected1, 6);
  });

  it('stays finite for large logits', () => {
    const { probabilities } = predictFromLogits(new Float32Array([1000, 999]), 2);
    expect(probabilities[0]).toBeCloseTo(1 / (1 + Math.exp(-1)), 6);
  });

  it('rejects logits that are not whole rows of the vocabulary', () => {
    expect(() => predictFromLogits(new Float32Array(5), 2)).toThrow(/do not split into rows of 2/);
  });
});
