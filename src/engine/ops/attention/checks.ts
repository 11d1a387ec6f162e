// GPU-versus-reference checks of the fused flash-attention kernel against the naive CPU
// formulation (explicit softmax(q kᵀ/√d) with rotary, reference.ts): forward O and the saved
// log-sum-exp, and each of the three gradients dq, dk, dv (the parts of dqkv), at T = 1, 7, 23, 33,
// 40, 70 (non-powers of two), window on and off, 16 heads of 8 (mh-attention), 1 head of 128
// (attention), and odd shapes (3 heads of 8: 63-wide workgroups; 4 heads of 6).

import type { KernelCheck } from '../kernelCheck.ts';
import { runOp } from '../../testing/opHarness.ts';
import { asF32, randomArray } from '../../testing/random.ts';
import { MAD_KERNEL_SHAPE, MAD_SHAPE_TAG } from '../madShape.ts';
import { flashAttentionWithStats, type AttentionVariant } from './flashAttention.ts';
import { attentionBackwardReference, attentionForwardReference, qkvPart, type AttentionShape } from './reference.ts';

const SHAPES: (AttentionShape & { name: string })[] = [
  { name: 'B=2 T=7 H=2 d=8', batch: 2, time: 7, heads: 2, headDim: 8, window: null, base: 10000 },
  { name: 'B=1 T=33 H=16 d=8 window 5', batch: 1, time: 33, heads: 16, headDim: 8, window: 5, base: 10000 },
  // The MAD window (32) at a length where it starts to mask (queries 33…39).
  { name: 'B=1 T=40 H=16 d=8 window 32', batch: 1, time: 40, heads: 16, headDim: 8, window: 32, base: 10000 },
  { name: 'B=2 T=1 H=1 d=128', batch: 2, time: 1, heads: 1, headDim: 128, window: null, base: 10000 },
  { name: 'B=1 T=33 H=1 d=128', batch: 1, time: 33, heads: 1, headDim: 128, window: null, base: 10000 },
  { name: 'B=2 T=9 H=1 d=128 window 3', batch: 2, time: 9, heads: 1, headDim: 128, window: 3, base: 10000 },
  // Two query blocks of 64 and a dk/dv query tile of 15 rows (not a power of two).
  { name: 'B=1 T=70 H=1 d=128 window 20', batch: 1, time: 70, heads: 1, headDim: 128, window: 20, base: 10000 },
  // 3 heads per workgroup × 21 rows: a 63-wide workgroup.
  { name: 'B=2 T=23 H=3 d=8', batch: 2, time: 23, heads: 3, headDim: 8, window: null, base: 10000 },
  { name: 'B=3 T=7 H=4 d=6 window 0', batch: 3, time: 7, heads: 4, headDim: 6, window: 0, base: 10000 },
];

// Every shape on the barrier-free 'rows' kernels; the tiled kernels on two shapes that exercise
// their blocking (several row blocks, partial key and query tiles, multi-tile windows, 4 heads ×
// 16 rows and 1 head × 64 rows per workgroup) — only two, because each tiled pipeline takes
// several seconds to compile on SwiftShader (selftest on a GPU runs them in milliseconds).
export const ATTENTION_CASES: (AttentionShape & { name: string; variant: AttentionVariant })[] = [
  ...SHAPES.map((s) => ({ ...s, variant: 'rows' as const })),
  ...[
    SHAPES.find((s) => s.name === 'B=1 T=40 H=16 d=8 window 32')!,
    { name: 'B=1 T=70 H=1 d=16 window 20', batch: 1, time: 70, heads: 1, headDim: 16, window: 20, base: 10000 },
  ].map((s) => ({ ...s, variant: 'tiled' as const })),
];

/** `variant` absent: the kernels the graph's target picks, as the layers get them. */
function attentionCheck(c: AttentionShape & { name: string; variant?: AttentionVariant }, i: number): KernelCheck {
  return {
    name: `flash attention (${c.variant ?? 'target kernels'}) ${c.name}`,
    // f32 kernel vs f64 reference: scores are d-term dot products of O(1) values (≲1e-6 relative),
    // exp/log in f32 add ~1e-7 relative per factor, and each output sums ≤ T terms; observed
    // differences are ≤ ~1e-6, so 2e-5 + 1e-4·|ref| leaves margin without hiding an indexing bug
    // (those give O(0.1) errors).
    tolerance: { atol: 2e-5, rtol: 1e-4 },
    async run() {
      const width = c.heads * c.headDim;
      const rows = c.batch * c.time;
      const qkv = asF32(randomArray(rows * 3 * width, 100 + i, -1.5, 1.5));
      const dout = asF32(randomArray(rows * width, 200 + i));
      const { output, grads, extras } = await runOp(
        [{ shape: [c.batch, c.time, 3 * width], data: qkv.f32 }],
        (g, [t]) => {
          const r = flashAttentionWithStats(g, t!, { heads: c.heads, headDim: c.headDim, window: c.window, rotaryBase: c.base, variant: c.variant });
          return { output: r.output, extras: [r.lse] };
        },
        dout.f32,
      );
      const ref = attentionForwardReference(qkv.f64, c);
      const dqkv = attentionBackwardReference(qkv.f64, dout.f64, c);
      const part = (x: ArrayLike<number>, p: 0 | 1 | 2): Float64Array => qkvPart(x, p, rows, width);
      return [
        { what: 'forward O', actual: output, expected: ref.output },
        { what: 'forward log-sum-exp', actual: extras[0]!, expected: ref.lse },
        { what: 'backward dq', actual: part(grads[0]!, 0), expected: part(dqkv, 0) },
        { what: 'backward dk', actual: part(grads[0]!, 1), expected: part(dqkv, 1) },
        { what: 'backward dv', actual: part(grads[0]!, 2), expected: part(dqkv, 2) },
      ];
    },
  };
}

export const attentionChecks: KernelCheck[] = ATTENTION_CASES.map(attentionCheck);

/**
 * mh-attention's defaults (16 heads of 8, no window; configs/layers/mh-attention.yml) at MAD's shape,
 * on the kernels the adapter's target picks: T = 128 fills every row block (4 heads × 16 rows per
 * workgroup) and every 32-key and 32-query tile of the tiled kernels, 1,024 workgroups per pass.
 * Scores sum 8 terms and outputs ≤ 128, the error model of the T = 70 cases: same tolerance.
 */
export const attentionMadShapeCheck: KernelCheck = attentionCheck(
  {
    name: `B=${MAD_KERNEL_SHAPE.batch} T=${MAD_KERNEL_SHAPE.seqLen} H=16 d=8 ${MAD_SHAPE_TAG}`,
    batch: MAD_KERNEL_SHAPE.batch,
    time: MAD_KERNEL_SHAPE.seqLen,
    heads: 16,
    headDim: MAD_KERNEL_SHAPE.dim / 16,
    window: null,
    base: 10000,
  },
  ATTENTION_CASES.length,
);
