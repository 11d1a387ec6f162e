// GPU versus f64 reference for linearAttentionNorm. Denominators in [0.5, 2] (away from 0, where
// the op is ill-conditioned by design); one division per value: 1e-5 abs/rel.

import type { KernelCheck } from '../kernelCheck.ts';
import { runOp } from '../../testing/opHarness.ts';
import { asF32, randomArray } from '../../testing/random.ts';
import { LINEAR_ATTENTION_EPS, linearAttentionNorm } from './linearAttentionNorm.ts';
import { linearAttentionNormBackwardReference, linearAttentionNormReference } from './reference.ts';

export const linearAttentionNormChecks: KernelCheck[] = [
  [2, 7, 3, 5],
  [1, 33, 2, 8],
].map(([B, T, H, dv]) => ({
  name: `linearAttentionNorm B=${B} T=${T} H=${H} dv=${dv}`,
  tolerance: { atol: 1e-5, rtol: 1e-5 },
  async run() {
    const rows = B! * T! * H!;
    const num = asF32(randomArray(rows * dv!, 1));
    const den = asF32(randomArray(rows, 2, 0.5, 2));
    const dy = asF32(randomArray(rows * dv!, 3));
    const { output, grads } = await runOp(
      [
        { shape: [B!, T!, H!, dv!], data: num.f32 },
        { shape: [B!, T!, H!, 1], data: den.f32 },
      ],
      (g, [n, d]) => linearAttentionNorm(g, n!, d!),
      dy.f32,
    );
    const r = linearAttentionNormBackwardReference(num.f64, den.f64, dy.f64, dv!, LINEAR_ATTENTION_EPS);
    return [
      { what: 'forward', actual: output, expected: linearAttentionNormReference(num.f64, den.f64, dv!, LINEAR_ATTENTION_EPS) },
      { what: 'backward dnum', actual: grads[0]!, expected: r.dnum },
      { what: 'backward dden', actual: grads[1]!, expected: r.dden },
    ];
  },
}));
