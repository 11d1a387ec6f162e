// Comparison of GPU results against references. compareArrays: the largest absolute difference,
// and whether every element is within an absolute atol + rtol·|expected| (llm.c's validate_result
// rule; the kernel checks state their tolerances so). expectClose: the one assertion of the
// layer tests, with the atol scaled by the reference's largest magnitude (see Tolerance).

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
 * The tolerance of every GPU-versus-reference comparison made with expectClose: each element within
 * atolOfMax·max|expected| + rtol·|expected|. The absolute part is a fraction of the reference
 * tensor's largest magnitude, so one tolerance serves tensors whose scales differ by orders of
 * magnitude (a layer's output and its parameter gradients) and a small tensor is held to the same
 * relative accuracy as a large one instead of passing trivially.
 */
export interface Tolerance {
  atolOfMax: number;
  rtol: number;
}

/**
 * Throws with a readable report unless actual is within `tolerance` of expected (an all-zero
 * reference is refused: nothing could fail against it); logs the largest difference against the
 * tolerance so the test output shows how close each result is to its reference.
 */
export function expectClose(name: string, actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: Tolerance): number {
  let peak = 0;
  for (let i = 0; i < expected.length; i++) peak = Math.max(peak, Math.abs(expected[i]!));
  if (peak === 0) throw new Error(`${name}: the reference is all zeros, so the comparison could not fail`);
  const c = compareArrays(actual, expected, { atol: tolerance.atolOfMax * peak, rtol: tolerance.rtol });
  const line =
    `${name}: max |diff| ${c.maxAbsDiff.toExponential(2)} = ${(c.maxAbsDiff / peak).toExponential(2)}·max|ref| ` +
    `(max |ref| ${peak.toExponential(2)}; tolerance ${tolerance.atolOfMax}·max|ref| + ${tolerance.rtol}·|ref|)`;
  console.log(line);
  if (!c.ok) {
    const i = c.worstIndex;
    throw new Error(`${line} — FAILED at [${i}]: got ${actual[i]}, expected ${expected[i]}`);
  }
  return c.maxAbsDiff;
}
