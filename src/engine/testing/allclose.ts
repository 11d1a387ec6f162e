// Comparison of GPU results against references: the largest absolute difference, and whether
// every element is within atol + rtol·|expected| (llm.c's validate_result rule).

export interface Closeness {
  maxAbsDiff: number;
  /** Index of the worst element relative to its tolerance. */
  worstIndex: number;
  ok: boolean;
}

export function compareArrays(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  { atol, rtol }: { atol: number; rtol: number },
): Closeness {
  if (actual.length !== expected.length) {
    throw new Error(`length mismatch: actual ${actual.length}, expected ${expected.length}`);
  }
  let maxAbsDiff = 0;
  let worstIndex = -1;
  let worstRatio = 0;
  let ok = true;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    const diff = Number.isNaN(a - e) ? Infinity : Math.abs(a - e); // NaN counts as infinitely far
    const tol = atol + rtol * Math.abs(e);
    if (diff > tol) ok = false;
    maxAbsDiff = Math.max(maxAbsDiff, diff);
    const ratio = diff / tol;
    if (ratio > worstRatio || worstIndex < 0) {
      worstRatio = ratio;
      worstIndex = i;
    }
  }
  return { maxAbsDiff, worstIndex, ok };
}

/**
 * Throws with a readable report unless actual ≈ expected; logs the largest difference so the
 * test output shows how close each kernel is to its reference.
 */
export function expectClose(
  name: string,
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tolerance: { atol: number; rtol: number },
): number {
  const c = compareArrays(actual, expected, tolerance);
  const line = `${name}: max |diff| ${c.maxAbsDiff.toExponential(2)} (atol ${tolerance.atol}, rtol ${tolerance.rtol})`;
  console.log(line);
  if (!c.ok) {
    const i = c.worstIndex;
    throw new Error(`${line} — FAILED at [${i}]: got ${actual[i]}, expected ${expected[i]}`);
  }
  return c.maxAbsDiff;
}
