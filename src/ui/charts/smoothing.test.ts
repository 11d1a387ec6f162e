import { describe, expect, it } from 'vitest';
import { emaSmooth } from './smoothing.ts';

describe('emaSmooth', () => {
  it('is the identity at weight 0 and keeps a constant series constant at any weight (debiased)', () => {
    expect(emaSmooth([3, 1, 2], 0)).toEqual([3, 1, 2]);
    for (const value of emaSmooth([2, 2, 2, 2], 0.9)) expect(value).toBeCloseTo(2, 12);
  });

  it('follows the debiased recurrence', () => {
    const [a, b] = emaSmooth([1, 3], 0.5);
    expect(a).toBeCloseTo(1, 12);
    // s1 = 0.5, s2 = 0.25 + 1.5 = 1.75; debiased by 1 − 0.25.
    expect(b).toBeCloseTo(1.75 / 0.75, 12);
  });

  it('refuses weights outside [0, 1)', () => {
    expect(() => emaSmooth([1], 1)).toThrow(/\[0, 1\)/);
    expect(() => emaSmooth([1], -0.1)).toThrow(/\[0, 1\)/);
  });
});
