// GPU-versus-reference checks of LayerNorm (Vitest and selftest), both kernel variants: the
// RMSNorm shapes — D ∈ {1, 7, 128, 130}, rows ∈ {1, 5, 300}, and 1,030 × 130 for 'lanes' backward
// workgroups that loop over two groups of rows. Weight and bias are trainable parameters; the
// saved mean and rstd are compared.

import type { KernelCheck } from '../kernelCheck.ts';
import { runOp } from '../../testing/opHarness.ts';
import { asF32, randomArray } from '../../testing/random.ts';
import { MAD_KERNEL_SHAPE, MAD_SHAPE_TAG, rowSumAtol } from '../madShape.ts';
import { NORM_CHECK_SHAPES } from '../rmsnorm/checks.ts';
import { NORM_VARIANTS, type NormVariant } from '../normShared.ts';
import { NORM_EPS } from '../rmsnorm/rmsnorm.ts';
import { layernormWithStats } from './layernorm.ts';
import { layernormBackwardReference, layernormForwardReference } from './reference.ts';

/** `variant` null: the kernels the graph's target picks, as the models get them. */
const shapeCheck = (variant: NormVariant | null, [rows, d]: [number, number], index: number): KernelCheck => ({
  name: `layernorm (${variant ?? 'target kernels'}) [${rows}×${d}]`,
  // D = 1 is the degenerate case: x̂ = 0, rstd = 1/√eps ≈ 316, y = b, dx = 0 — in f32 the row
  // reduces exactly, so it still meets the tolerance. Otherwise values are O(1) (x has a mean
  // offset of 1 to exercise the centring) and sums of up to 1,030 rows are covered by rtol.
  tolerance: { atol: 1e-5, rtol: 1e-5 },
  async run() {
    const x = asF32(randomArray(rows * d, 1000 + index, -1, 3));
    const w = asF32(randomArray(d, 1100 + index, 0.5, 1.5));
    const b = asF32(randomArray(d, 1200 + index));
    const dy = asF32(randomArray(rows * d, 1300 + index));
    const { output, grads, extras } = await runOp(
      [
        { shape: [rows, d], data: x.f32 },
        { shape: [d], data: w.f32, param: true },
        { shape: [d], data: b.f32, param: true },
      ],
      (g, [tx, tw, tb]) => {
        const { y, mean, rstd } = layernormWithStats(g, tx!, tw!, tb!, NORM_EPS, variant ?? undefined);
        return { output: y, extras: [mean, rstd] };
      },
      dy.f32,
    );
    const fwd = layernormForwardReference(x.f64, w.f64, b.f64, NORM_EPS);
    const bwd = layernormBackwardReference(x.f64, w.f64, b.f64, dy.f64, NORM_EPS);
    return [
      { what: 'forward y', actual: output, expected: fwd.y },
      { what: 'forward mean', actual: extras[0]!, expected: fwd.mean },
      // rstd reaches 316 at D = 1 (var = 0): compared relative to its size.
      { what: 'forward rstd', actual: extras[1]!, expected: fwd.rstd },
      { what: 'backward dx', actual: grads[0]!, expected: bwd.dx },
      { what: 'backward dw', actual: grads[1]!, expected: bwd.dw },
      { what: 'backward db', actual: grads[2]!, expected: bwd.db },
    ];
  },
});
const allShapes = NORM_VARIANTS.flatMap((variant) => NORM_CHECK_SHAPES.map((shape, index) => shapeCheck(variant, shape, index)));

export const layernormChecks: KernelCheck[] = [
  ...allShapes,
  ...NORM_VARIANTS.map((variant) => ({
    // Frozen weight and bias (plain inputs): only dx, no parameter sums.
    name: `layernorm (${variant}) [5×130] input gradient only`,
    tolerance: { atol: 1e-5, rtol: 1e-5 },
    async run() {
      const [rows, d] = [5, 130];
      const x = asF32(randomArray(rows * d, 1050, -1, 3));
      const w = asF32(randomArray(d, 1051, 0.5, 1.5));
      const b = asF32(randomArray(d, 1052));
      const dy = asF32(randomArray(rows * d, 1053));
      const { output, grads } = await runOp(
        [
          { shape: [rows, d], data: x.f32 },
          { shape: [d], data: w.f32, grad: false },
          { shape: [d], data: b.f32, grad: false },
        ],
        (g, [tx, tw, tb]) => layernormWithStats(g, tx!, tw!, tb!, NORM_EPS, variant).y,
        dy.f32,
      );
      return [
        { what: 'forward y', actual: output, expected: layernormForwardReference(x.f64, w.f64, b.f64, NORM_EPS).y },
        {
          what: 'backward dx',
          actual: grads[0]!,
          expected: layernormBackwardReference(x.f64, w.f64, b.f64, dy.f64, NORM_EPS).dx,
        },
      ];
    },
  })),
];

/**
 * The model's norm at MAD's shape, on the kernels the adapter's target picks: 32·128 rows of 128,
 * hundreds of full workgroups of either kernel, and parameter gradients summing 4,096 rows (four
 * times the 1,030 of the largest check above): atol grows with the sum (rowSumAtol).
 */
export const layernormMadShapeCheck: KernelCheck = (() => {
  const { batch, seqLen, dim } = MAD_KERNEL_SHAPE;
  const check = shapeCheck(null, [batch * seqLen, dim], NORM_CHECK_SHAPES.length);
  return { ...check, name: `${check.name} ${MAD_SHAPE_TAG}`, tolerance: { ...check.tolerance, atol: rowSumAtol(batch * seqLen) } };
})();
