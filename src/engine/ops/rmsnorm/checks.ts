// GPU-versus-reference checks of RMSNorm (Vitest and selftest), both kernel variants: D ∈ {1, 7,
// 128, 130} (for 'lanes' from 256 rows per workgroup with one lane each to 4 rows on 64 lanes with
// 3 elements per lane), rows ∈ {1, 5, 300}, and 1,030 rows of 130 so each 'lanes' backward
// workgroup loops over two groups of rows (and 'rows' runs 17 workgroups with a ragged last one).
// The weight is a trainable parameter; the saved rstd is compared too.

import type { KernelCheck } from '../kernelCheck.ts';
import { runOp } from '../../testing/opHarness.ts';
import { asF32, randomArray } from '../../testing/random.ts';
import { MAD_KERNEL_SHAPE, MAD_SHAPE_TAG, rowSumAtol } from '../madShape.ts';
import { NORM_VARIANTS, type NormVariant } from '../normShared.ts';
import { NORM_EPS, rmsnormWithStats } from './rmsnorm.ts';
import { rmsnormBackwardReference, rmsnormForwardReference } from './reference.ts';

export const NORM_CHECK_SHAPES: [number, number][] = [];
for (const d of [1, 7, 128, 130]) for (const rows of [1, 5, 300]) NORM_CHECK_SHAPES.push([rows, d]);
NORM_CHECK_SHAPES.push([1030, 130]);

/** `variant` null: the kernels the graph's target picks, as the models get them. */
const shapeCheck = (variant: NormVariant | null, [rows, d]: [number, number], index: number): KernelCheck => ({
  name: `rmsnorm (${variant ?? 'target kernels'}) [${rows}×${d}]`,
  // Values are O(1); f32 keeps each row's statistics to ~1e-7 relative. dw sums up to 1,030
  // rows (a partial per workgroup, then a tree), so its error grows with its magnitude: rtol.
  tolerance: { atol: 1e-5, rtol: 1e-5 },
  async run() {
    const x = asF32(randomArray(rows * d, 700 + index, -2, 2));
    const w = asF32(randomArray(d, 800 + index, 0.5, 1.5));
    const dy = asF32(randomArray(rows * d, 900 + index));
    const { output, grads, extras } = await runOp(
      [
        { shape: [rows, d], data: x.f32 },
        { shape: [d], data: w.f32, param: true },
      ],
      (g, [tx, tw]) => {
        const { y, rstd } = rmsnormWithStats(g, tx!, tw!, NORM_EPS, variant ?? undefined);
        return { output: y, extras: [rstd] };
      },
      dy.f32,
    );
    const fwd = rmsnormForwardReference(x.f64, w.f64, NORM_EPS);
    const bwd = rmsnormBackwardReference(x.f64, w.f64, dy.f64, NORM_EPS);
    return [
      { what: 'forward y', actual: output, expected: fwd.y },
      { what: 'forward rstd', actual: extras[0]!, expected: fwd.rstd },
      { what: 'backward dx', actual: grads[0]!, expected: bwd.dx },
      { what: 'backward dw', actual: grads[1]!, expected: bwd.dw },
    ];
  },
});
const allShapes = NORM_VARIANTS.flatMap((variant) => NORM_CHECK_SHAPES.map((shape, index) => shapeCheck(variant, shape, index)));

export const rmsnormChecks: KernelCheck[] = [
  ...allShapes,
  ...NORM_VARIANTS.map((variant) => ({
    // Only the weight trains (x is a plain input): dx's writes are switched off.
    name: `rmsnorm (${variant}) [5×130] weight gradient only`,
    tolerance: { atol: 1e-5, rtol: 1e-5 },
    async run() {
      const [rows, d] = [5, 130];
      const x = asF32(randomArray(rows * d, 750, -2, 2));
      const w = asF32(randomArray(d, 751, 0.5, 1.5));
      const dy = asF32(randomArray(rows * d, 752));
      const { output, grads } = await runOp(
        [
          { shape: [rows, d], data: x.f32, grad: false },
          { shape: [d], data: w.f32, param: true },
        ],
        (g, [tx, tw]) => rmsnormWithStats(g, tx!, tw!, NORM_EPS, variant).y,
        dy.f32,
      );
      return [
        { what: 'forward y', actual: output, expected: rmsnormForwardReference(x.f64, w.f64, NORM_EPS).y },
        { what: 'backward dw', actual: grads[1]!, expected: rmsnormBackwardReference(x.f64, w.f64, dy.f64, NORM_EPS).dw },
      ];
    },
  })),
];

/**
 * The model's norm at MAD's shape, on the kernels the adapter's target picks: 32·128 rows of 128,
 * hundreds of full workgroups of either kernel, and parameter gradients summing 4,096 rows (four
 * times the 1,030 of the largest check above): atol grows with the sum (rowSumAtol).
 */
export const rmsnormMadShapeCheck: KernelCheck = (() => {
  const { batch, seqLen, dim } = MAD_KERNEL_SHAPE;
  const check = shapeCheck(null, [batch * seqLen, dim], NORM_CHECK_SHAPES.length);
  return { ...check, name: `${check.name} ${MAD_SHAPE_TAG}`, tolerance: { ...check.tolerance, atol: rowSumAtol(batch * seqLen) } };
})();
