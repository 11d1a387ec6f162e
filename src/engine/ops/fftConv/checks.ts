// GPU-versus-reference checks of fftConv. The reference is the direct O(T²) causal sum, so these
// checks are also the FFT-versus-naive comparison, at T = 1, 5, 33, 100 (non-powers of two),
// with filter channels shared by R = 1, 2 and 4 channels, on both kernel variants ('workgroup'
// for GPUs, 'private' for CPU adapters). (T = 300 and T = 2048 pass too but take
// 26 s and minutes on SwiftShader, so they are left to `fftConvLongChecks` for real GPUs.)
// Tolerance: f32 FFTs of M points carry ~log2(M)·ε·‖u‖·‖k‖ error per output; with inputs in
// [−1, 1] and sums of up to T terms that is ≲ 1e-5 absolute at T ≤ 100 (measured: ≤ 4.3e-6,
// dk at T = 100), ≲ 1e-4 at T = 2048.

import type { KernelCheck } from '../kernelCheck.ts';
import { runOp } from '../../testing/opHarness.ts';
import { asF32, randomArray } from '../../testing/random.ts';
import { MAD_KERNEL_SHAPE, MAD_SHAPE_TAG } from '../madShape.ts';
import { FFT_CONV_VARIANTS, fftConv, type FftConvVariant } from './fftConv.ts';
import { fftConvBackwardReference, fftConvForwardReference, type FftConvShape } from './reference.ts';
import { mhFftConv } from './mhFftConv.ts';
import { mhFftConvBackwardReference, mhFftConvForwardReference, type MhShape } from './mhReference.ts';

const SHAPES: (FftConvShape & { tol: number })[] = [
  { B: 2, T: 1, C: 3, CF: 3, tol: 1e-5 },
  { B: 2, T: 5, C: 4, CF: 2, tol: 1e-5 },
  { B: 1, T: 33, C: 3, CF: 3, tol: 2e-5 },
  { B: 3, T: 100, C: 4, CF: 1, tol: 5e-5 },
];

/** A check of one variant, or (variant undefined) of the kernels the test GPU's target picks. */
function check(s: FftConvShape & { tol: number }, variant?: FftConvVariant): KernelCheck {
  return {
    name: `fftConv${variant ? ` (${variant})` : ''} B=${s.B} T=${s.T} C=${s.C} CF=${s.CF}`,
    tolerance: { atol: s.tol, rtol: s.tol },
    async run() {
      const { B, T, C, CF } = s;
      const seed = 100 + T;
      // Decaying filter, as Hyena's modulated filters are: keeps outputs O(1) at long T.
      const kRaw = randomArray(T * CF, seed + 1);
      for (let t = 0; t < T; t++) for (let c = 0; c < CF; c++) kRaw[t * CF + c]! *= Math.exp(-t / 16);
      const u = asF32(randomArray(B * T * C, seed));
      const k = asF32(kRaw);
      const d = asF32(randomArray(CF, seed + 2));
      const dy = asF32(randomArray(B * T * C, seed + 3));
      const { output, grads } = await runOp(
        [
          { shape: [B, T, C], data: u.f32 },
          { shape: [T, CF], data: k.f32, param: true },
          { shape: [CF], data: d.f32, param: true },
        ],
        (g, [x, kk, dd]) => fftConv(g, x!, kk!, dd!, { variant }),
        dy.f32,
      );
      const ref = fftConvBackwardReference(s, u.f64, k.f64, d.f64, dy.f64);
      return [
        { what: 'forward (vs direct sum)', actual: output, expected: fftConvForwardReference(s, u.f64, k.f64, d.f64) },
        { what: 'backward du', actual: grads[0]!, expected: ref.du },
        { what: 'backward dk', actual: grads[1]!, expected: ref.dk },
        { what: 'backward dD', actual: grads[2]!, expected: ref.dd },
      ];
    },
  };
}

export const fftConvChecks: KernelCheck[] = FFT_CONV_VARIANTS.flatMap((variant) => SHAPES.map((s) => check(s, variant)));

/**
 * The largest FFTs (M = 1024 and 4096, the 32 KiB workgroup-memory case): too slow for CI on
 * SwiftShader (46 s and 119 s there); they passed there once (T = 2048: forward 5.8e-7, du 6.9e-7,
 * dk 1.1e-5, dD 2.5e-6). For selftest on real GPUs.
 */
export const fftConvLongChecks: KernelCheck[] = FFT_CONV_VARIANTS.flatMap((variant) => [
  check({ B: 1, T: 300, C: 2, CF: 2, tol: 1e-4 }, variant),
  check({ B: 1, T: 2048, C: 1, CF: 1, tol: 1e-4 }, variant),
]);

/**
 * Hyena's long convolution at MAD's shape (inner width 4·128 = 512 channels, each with its own
 * filter, configs/layers/hyena.yml): FFTs of M = 256 points, 32 sequences × 256 channel pairs of
 * workgroups, and filter gradients summed over 32 sequences. Tolerance of the T ≤ 2048 bound above.
 */
export const fftConvMadShapeCheck: KernelCheck = (() => {
  const { batch, seqLen, dim } = MAD_KERNEL_SHAPE;
  const c = check({ B: batch, T: seqLen, C: 4 * dim, CF: 4 * dim, tol: 1e-4 });
  return { ...c, name: `${c.name} ${MAD_SHAPE_TAG}` };
})();

/**
 * mhFftConv (fused multi-head long convolution) against the direct formula of docs/protocol.md §4.3: odd H (the
 * unpaired last channel of the forward's two-at-a-time packing), W = 1…3 groups, T = 1, 5, 9.
 * Same error model as fftConv (sums of ≤ H·T products of O(1) terms): atol = rtol = 2e-5.
 */
export const mhFftConvChecks: KernelCheck[] = (
  [
    { B: 2, T: 5, I: 4, H: 2 },
    { B: 1, T: 9, I: 9, H: 3 },
    { B: 2, T: 1, I: 4, H: 4 },
  ] as MhShape[]
).map((s) => ({
  name: `mhFftConv B=${s.B} T=${s.T} I=${s.I} H=${s.H}`,
  tolerance: { atol: 2e-5, rtol: 2e-5 },
  async run() {
    const { B, T, I, H } = s;
    const W = I / H;
    const seed = 300 + T * 7 + I;
    const uc = asF32(randomArray(B * T * 3 * I, seed));
    const k = asF32(randomArray(T * W, seed + 1));
    const d = asF32(randomArray(W, seed + 2));
    const dy = asF32(randomArray(B * T * I, seed + 3));
    const { output, grads } = await runOp(
      [
        { shape: [B, T, 3 * I], data: uc.f32 },
        { shape: [T, W], data: k.f32, param: true },
        { shape: [W], data: d.f32, param: true },
      ],
      (g, [x, kk, dd]) => mhFftConv(g, x!, kk!, dd!, H),
      dy.f32,
    );
    const ref = mhFftConvBackwardReference(s, uc.f64, k.f64, d.f64, dy.f64);
    return [
      { what: 'forward (vs direct formula)', actual: output, expected: mhFftConvForwardReference(s, uc.f64, k.f64, d.f64) },
      { what: 'backward duc', actual: grads[0]!, expected: ref.duc },
      { what: 'backward dk', actual: grads[1]!, expected: ref.dk },
      { what: 'backward dD', actual: grads[2]!, expected: ref.dd },
    ];
  },
}));
