// Shared helpers of the channel-mixer layer tests: seeded f32-representable data and the
// comparison of a GPU result with its f64 reference.

import { expect } from 'vitest';
import { compareArrays } from '../../engine/testing/allclose.ts';
import { asF32, randomArray } from '../../engine/testing/random.ts';

export interface Data {
  f32: Float32Array;
  f64: Float64Array;
}

/** n uniform values in [−scale, scale), rounded to f32. */
export function data(n: number, seed: number, scale = 1, lo?: number): Data {
  return asF32(randomArray(n, seed, lo ?? -scale, scale));
}

export function expectClose(what: string, actual: ArrayLike<number>, expected: ArrayLike<number>, atol: number, rtol: number): void {
  const r = compareArrays(actual, expected, { atol, rtol });
  console.log(`${r.ok ? 'pass' : 'FAIL'}  ${what}: max |diff| ${r.maxAbsDiff.toExponential(2)} (tolerance ${atol} + ${rtol}·|ref|)`);
  expect(r.ok, `${what}: max |diff| ${r.maxAbsDiff}`).toBe(true);
}
