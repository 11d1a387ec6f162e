// GPU-versus-reference checks of broadcasting add/sub/mul (Vitest and selftest). The shapes
// cover: no broadcast (the contiguous forward and the fused two-operand backward), a bias [D] (column reduction, in two
// stages at 300 rows), a per-row factor [..., 1] (row reduction, in two stages at 9,000 columns),
// a middle broadcast axis, both operands broadcast, a parameter operand, and x · x.

import type { KernelCheck } from '../kernelCheck.ts';
import { runOp } from '../../testing/opHarness.ts';
import { asF32, randomArray } from '../../testing/random.ts';
import { binary, type BinaryOp } from './binary.ts';
import { binaryBackwardReference, binaryForwardReference } from './reference.ts';
import { broadcastShapes } from '../reduce/broadcast.ts';

interface Case {
  op: BinaryOp;
  a: number[];
  b: number[];
  /** b is a trainable parameter (paramGrad pool). */
  bParam?: boolean;
}

const CASES: Case[] = [
  { op: 'add', a: [300, 7], b: [300, 7] },
  { op: 'mul', a: [5, 7, 130], b: [5, 7, 130] },
  { op: 'sub', a: [5, 7, 130], b: [5, 7, 130] },
  { op: 'add', a: [5, 7, 130], b: [130] },
  { op: 'add', a: [300, 130], b: [130], bParam: true },
  { op: 'mul', a: [300, 128], b: [128] },
  { op: 'mul', a: [5, 7, 130], b: [5, 7, 1] },
  { op: 'mul', a: [2, 9000], b: [2, 1] },
  { op: 'mul', a: [4, 1, 6], b: [4, 5, 6] },
  { op: 'sub', a: [2, 1, 7], b: [3, 1] },
  { op: 'mul', a: [1], b: [3, 5] },
];

const size = (s: readonly number[]): number => s.reduce((p, d) => p * d, 1);

// Elementwise results are exact to one f32 rounding (≤ 6e-8 here). Broadcast gradients are f32
// sums of up to 9,000 terms of |·| ≤ 1: the error grows like √n·ε·|term| per summation level
// (measured ≤ 1e-5 at 9,000 terms, where |sum| is tens, so rtol 1e-5 · |ref| carries it).
const TOLERANCE = { atol: 1e-5, rtol: 1e-5 };

export const binaryChecks: KernelCheck[] = [
  ...CASES.map(
    ({ op, a, b, bParam }, index): KernelCheck => ({
      name: `binary ${op} [${a.join('×')}] ∘ [${b.join('×')}]${bParam ? ' (param)' : ''}`,
      tolerance: TOLERANCE,
      async run() {
        const out = broadcastShapes(a, b);
        const xa = asF32(randomArray(size(a), 10 + index));
        const xb = asF32(randomArray(size(b), 40 + index));
        const dy = asF32(randomArray(size(out), 70 + index));
        const { output, grads } = await runOp(
          [
            { shape: a, data: xa.f32 },
            { shape: b, data: xb.f32, param: bParam },
          ],
          (g, [ta, tb]) => binary(g, op, ta!, tb!),
          dy.f32,
        );
        const A = { data: xa.f64, shape: a };
        const B = { data: xb.f64, shape: b };
        const ref = binaryBackwardReference(op, A, B, dy.f64);
        return [
          { what: 'forward', actual: output, expected: binaryForwardReference(op, A, B) },
          { what: 'backward da', actual: grads[0]!, expected: ref.da },
          { what: 'backward db', actual: grads[1]!, expected: ref.db },
        ];
      },
    }),
  ),
  {
    name: 'binary mul x · x [5×130] (one tensor as both operands)',
    tolerance: TOLERANCE,
    async run() {
      const shape = [5, 130];
      const x = asF32(randomArray(size(shape), 101));
      const dy = asF32(randomArray(size(shape), 102));
      const { output, grads } = await runOp([{ shape, data: x.f32 }], (g, [t]) => binary(g, 'mul', t!, t!), dy.f32);
      const X = { data: x.f64, shape };
      const ref = binaryBackwardReference('mul', X, X, dy.f64);
      return [
        { what: 'forward', actual: output, expected: binaryForwardReference('mul', X, X) },
        { what: 'backward dx (both operands)', actual: grads[0]!, expected: ref.da.map((v, i) => v + ref.db[i]!) },
      ];
    },
  },
];
