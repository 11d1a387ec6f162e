// GPU-versus-reference checks of the unary ops (Vitest and selftest).

import type { KernelCheck } from '../kernelCheck.ts';
import { runOp } from '../../testing/opHarness.ts';
import { asF32, randomArray } from '../../testing/random.ts';
import { unaryBackwardReference, unaryForwardReference } from './reference.ts';
import { UNARY_OPS, unary, type UnaryOp } from './unary.ts';

export const UNARY_TEST_ALPHA = 0.37;

/** Input ranges that cover each function's interesting region (gelu's knee, softplus' threshold). */
export function unaryTestRange(op: UnaryOp): [number, number] {
  if (op === 'softplus') return [-25, 25];
  if (op === 'exp') return [-4, 4];
  return [-6, 6];
}

export const unaryChecks: KernelCheck[] = UNARY_OPS.map((op) => ({
  name: `unary ${op} n=1000`,
  tolerance: { atol: 1e-5, rtol: 1e-5 },
  async run() {
    const [lo, hi] = unaryTestRange(op);
    const n = 1000; // not a multiple of the workgroup size
    const x = asF32(randomArray(n, 3, lo, hi));
    const dy = asF32(randomArray(n, 4));
    const { output, grads } = await runOp([{ shape: [n], data: x.f32 }], (g, [t]) => unary(g, op, t!, UNARY_TEST_ALPHA), dy.f32);
    return [
      { what: 'forward', actual: output, expected: unaryForwardReference(op, x.f64, UNARY_TEST_ALPHA) },
      { what: 'backward dx', actual: grads[0]!, expected: unaryBackwardReference(op, x.f64, dy.f64, UNARY_TEST_ALPHA) },
    ];
  },
}));
