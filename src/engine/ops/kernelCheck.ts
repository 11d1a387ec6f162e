// A KernelCheck runs one op on the current GPU at small shapes and compares forward and
// backward results with the op's CPU reference. The same checks back the Vitest suite and
// `npm run mad -- selftest`, so what users run to trust their GPU is what CI runs.

import { compareArrays } from '../testing/allclose.ts';

export interface Tolerance {
  atol: number;
  rtol: number;
}

export interface Comparison {
  /** e.g. 'forward', 'backward dx', 'backward dW'. */
  what: string;
  actual: ArrayLike<number>;
  expected: ArrayLike<number>;
}

export interface KernelCheck {
  /** Shown in selftest, e.g. 'matmul 3×17×9 transB gelu'. */
  name: string;
  tolerance: Tolerance;
  /** Runs on the shared test/selftest device; returns what to compare. */
  run(): Promise<Comparison[]>;
}

export interface CheckOutcome {
  name: string;
  what: string;
  maxAbsDiff: number;
  tolerance: Tolerance;
  ok: boolean;
}

export async function runKernelCheck(check: KernelCheck): Promise<CheckOutcome[]> {
  const comparisons = await check.run();
  return comparisons.map((c) => {
    const r = compareArrays(c.actual, c.expected, check.tolerance);
    return { name: check.name, what: c.what, maxAbsDiff: r.maxAbsDiff, tolerance: check.tolerance, ok: r.ok };
  });
}

export function formatOutcome(o: CheckOutcome): string {
  const status = o.ok ? 'pass' : 'FAIL';
  return `${status}  ${o.name} — ${o.what}: max |diff| ${o.maxAbsDiff.toExponential(2)} (tolerance ${o.tolerance.atol} + ${o.tolerance.rtol}·|ref|)`;
}
