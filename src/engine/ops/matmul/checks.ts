// GPU-versus-reference checks of matmul (Vitest and selftest): every kernel variant, both
// transposes of each operand, batched and shared 2-D B, bias, each fused activation, linear(),
// and shapes that are not multiples of the 8×8 blocks, 64-wide tiles or the K step (1×1×1,
// 7×13×5, 33×65×17, 70×130×37; for the vec4 kernel multiples of 4 only: 12×20×16, 68×132×36).

import type { Comparison, KernelCheck, Tolerance } from '../kernelCheck.ts';
import { runOp, type HarnessInput } from '../../testing/opHarness.ts';
import { asF32, randomArray } from '../../testing/random.ts';
import { MAD_KERNEL_SHAPE, MAD_SHAPE_TAG, rowSumAtol } from '../madShape.ts';
import { linear, matmul, MATMUL_ACTIVATIONS, MATMUL_VARIANTS, type MatmulActivation, type MatmulVariant } from './matmul.ts';
import { matmulBackwardReference, matmulForwardReference, type MatmulShape } from './reference.ts';

// f32 sums of up to ~100 products of values in [−1, 1] (gradients of B sum over batch·M rows):
// rounding stays near 1e-6 absolute; 1e-5 leaves room without hiding a wrong index.
const TOLERANCE: Tolerance = { atol: 1e-5, rtol: 1e-5 };

interface CheckSpec extends MatmulShape {
  /** null: the kernel the graph's target picks, as the layers get it. */
  variant: MatmulVariant | null;
  /** Go through linear() (x [batch, M, K], weight [N, K] as a parameter). */
  viaLinear?: boolean;
}

function describe(s: CheckSpec): string {
  const parts = [`matmul ${s.variant ?? 'target kernel'} ${s.batch > 1 ? `${s.batch}×` : ''}${s.M}×${s.N}×${s.K}`];
  if (s.viaLinear) parts.push('linear()');
  if (s.transA) parts.push('transA');
  if (s.transB) parts.push('transB');
  if (s.sharedB && s.batch > 1 && !s.viaLinear) parts.push('shared B');
  if (s.hasBias) parts.push('bias');
  if (s.activation !== 'none') parts.push(s.activation);
  return parts.join(' ');
}

function shapes(s: MatmulShape): { a: number[]; b: number[] } {
  const lead = s.batch > 1 ? [s.batch] : [];
  const a = [...lead, ...(s.transA ? [s.K, s.M] : [s.M, s.K])];
  const b2 = s.transB ? [s.N, s.K] : [s.K, s.N];
  return { a, b: s.sharedB ? b2 : [...lead, ...b2] };
}

let seed = 100;

function matmulCheck(spec: Partial<CheckSpec> & Pick<CheckSpec, 'M' | 'N' | 'K'>): KernelCheck {
  const s: CheckSpec = {
    batch: 1,
    transA: false,
    transB: false,
    sharedB: false,
    hasBias: false,
    activation: 'none',
    variant: 'register-vec4',
    ...spec,
  };
  const dataSeed = (seed += 10);
  return {
    name: describe(s),
    tolerance: TOLERANCE,
    async run(): Promise<Comparison[]> {
      const { a: aShape, b: bShape } = shapes(s);
      const size = (sh: number[]) => sh.reduce((x, y) => x * y, 1);
      const a = asF32(randomArray(size(aShape), dataSeed));
      const b = asF32(randomArray(size(bShape), dataSeed + 1));
      const bias = asF32(randomArray(s.N, dataSeed + 2));
      const dy = asF32(randomArray(s.batch * s.M * s.N, dataSeed + 3));
      const inputs: HarnessInput[] = [
        { shape: aShape, data: a.f32 },
        { shape: bShape, data: b.f32, param: s.viaLinear },
      ];
      if (s.hasBias) inputs.push({ shape: [s.N], data: bias.f32, param: s.viaLinear });
      const { output, grads } = await runOp(
        inputs,
        (g, [ta, tb, tbias]) =>
          s.viaLinear
            ? linear(g, ta!, tb!, tbias, s.activation, s.variant ?? undefined)
            : matmul(g, ta!, tb!, { transposeA: s.transA, transposeB: s.transB, bias: tbias, activation: s.activation, variant: s.variant ?? undefined }),
        dy.f32,
      );
      const biasRef = s.hasBias ? bias.f64 : null;
      const ref = matmulBackwardReference(s, a.f64, b.f64, biasRef, dy.f64);
      const out: Comparison[] = [
        { what: 'forward', actual: output, expected: matmulForwardReference(s, a.f64, b.f64, biasRef) },
        { what: 'backward dA', actual: grads[0]!, expected: ref.da },
        { what: 'backward dB', actual: grads[1]!, expected: ref.db },
      ];
      if (s.hasBias) out.push({ what: 'backward dbias', actual: grads[2]!, expected: ref.dbias });
      return out;
    },
  };
}

/** y = x·xᵀ: both backward products add into the one gradient of x, so overwriting would fail. */
function selfProductCheck(variant: MatmulVariant, M: number, K: number): KernelCheck {
  return {
    name: `matmul ${variant} x·xᵀ ${M}×${K} (gradients accumulate)`,
    tolerance: TOLERANCE,
    async run() {
      const x = asF32(randomArray(M * K, 7));
      const dy = asF32(randomArray(M * M, 8));
      const { output, grads } = await runOp([{ shape: [M, K], data: x.f32 }], (g, [t]) => matmul(g, t!, t!, { transposeB: true, variant }), dy.f32);
      const s: MatmulShape = { batch: 1, M, N: M, K, transA: false, transB: true, sharedB: true, hasBias: false, activation: 'none' };
      const ref = matmulBackwardReference(s, x.f64, x.f64, null, dy.f64);
      return [
        { what: 'forward', actual: output, expected: matmulForwardReference(s, x.f64, x.f64, null) },
        { what: 'backward dx', actual: grads[0]!, expected: ref.da.map((v, i) => v + ref.db[i]!) },
      ];
    },
  };
}

const TRANSPOSES = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
] as const;
const ACTIVATIONS: readonly MatmulActivation[] = MATMUL_ACTIVATIONS;

/** Shapes per kernel: the vec4 kernel needs M, N, K multiples of 4 (else it runs kernel2). */
function shapesFor(variant: MatmulVariant): { batched: Dims; shared: Dims; large: Dims; self: [number, number] } {
  return variant === 'register-vec4'
    ? // Multiples of 4 but not of the 8×8 block, so edge blocks are exercised.
      { batched: [12, 20, 16], shared: [12, 20, 8], large: [68, 132, 36], self: [12, 8] }
    : { batched: [33, 65, 17], shared: [7, 13, 5], large: [70, 130, 37], self: [9, 6] };
}
type Dims = [number, number, number];

// Pipelines dominate the time of these checks on SwiftShader (~0.1–0.6 s to compile each), and
// the epilogue's activation and bias are override constants, so the per-kernel checks share one
// epilogue configuration (plain, or bias) and the activations are checked on the default kernel.
export const matmulChecks: KernelCheck[] = [
  // Every kernel: degenerate, batched with each transpose, shared B (with bias) with each
  // transpose, and a shape past one 64×64 tile and one K tile.
  ...MATMUL_VARIANTS.flatMap((variant) => {
    const sh = shapesFor(variant);
    const dims = ([M, N, K]: Dims) => ({ M, N, K });
    return [
      matmulCheck({ variant, M: 1, N: 1, K: 1, hasBias: true }),
      ...TRANSPOSES.map(([transA, transB]) => matmulCheck({ variant, batch: 3, ...dims(sh.batched), transA, transB })),
      ...TRANSPOSES.map(([transA, transB]) =>
        matmulCheck({ variant, batch: 3, ...dims(sh.shared), transA, transB, sharedB: true, hasBias: true }),
      ),
      matmulCheck({ variant, ...dims(sh.large), transB: true, hasBias: true }),
    ];
  }),
  // B read through A (x·xᵀ), both products accumulating into one gradient.
  selfProductCheck('register', 9, 6),
  selfProductCheck('register-vec4', 12, 8),
  // Each activation (with bias) on the default kernel, and one without bias past a block edge.
  ...ACTIVATIONS.filter((a) => a !== 'none').map((activation) =>
    matmulCheck({ batch: 2, M: 4, N: 12, K: 8, transB: true, sharedB: true, hasBias: true, activation }),
  ),
  matmulCheck({ M: 68, N: 132, K: 36, activation: 'gelu-erf' }),
  // linear(): PyTorch layout, leading dimensions flattened, weight and bias as parameters; the
  // scalar kernel's epilogue with an activation.
  ...(['register', 'register-vec4'] as const).map((variant) =>
    matmulCheck({ variant, viaLinear: true, batch: 2, M: 10, N: 24, K: 20, transB: true, sharedB: true, hasBias: true, activation: 'gelu-tanh' }),
  ),
];

/**
 * Attention's output projection at MAD's shape through linear(): 32·128 rows of width 128 into 128,
 * with bias, on the kernel the adapter's target picks (64×64 workgroup-memory tiles on GPUs, 8×8
 * register blocks on CPU adapters): 128 full tiles over full K steps, where a tiling or barrier bug
 * shows (the MLP's 4× wider projection adds no new tiling case and takes its f64 reference 4× as
 * long). dB and dbias sum 4,096 rows, 40× the sums TOLERANCE is sized for: atol grows with them
 * (rowSumAtol).
 */
export const matmulMadShapeCheck: KernelCheck = (() => {
  const { batch, seqLen, dim } = MAD_KERNEL_SHAPE;
  const check = matmulCheck({ variant: null, viaLinear: true, batch, M: seqLen, N: dim, K: dim, transB: true, sharedB: true, hasBias: true });
  return { ...check, name: `${check.name} ${MAD_SHAPE_TAG}`, tolerance: { ...TOLERANCE, atol: rowSumAtol(batch * seqLen) } };
})();
