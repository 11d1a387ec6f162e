// GPU-versus-reference checks of rotary embedding (forward and the rotation by −θ backward).

import type { KernelCheck } from '../kernelCheck.ts';
import { runOp } from '../../testing/opHarness.ts';
import { asF32, randomArray } from '../../testing/random.ts';
import { rotaryBackwardReference, rotaryForwardReference, type RotaryShape } from './reference.ts';
import { rotary } from './rotary.ts';

export const ROTARY_CASES: (RotaryShape & { name: string; flatHeads?: boolean })[] = [
  { name: 'B=2 T=5 H=3 d=8', batch: 2, time: 5, heads: 3, headDim: 8, base: 10000 },
  // mh-attention: 16 heads of 8, given as [B, T, H·d]; 3·37·16·4 pairs is not a multiple of 256.
  { name: 'B=3 T=37 H=16 d=8 ([B, T, H·d] input)', batch: 3, time: 37, heads: 16, headDim: 8, base: 10000, flatHeads: true },
  // attention: 1 head of 128 with positions up to 299 (large angles).
  { name: 'B=1 T=300 H=1 d=128', batch: 1, time: 300, heads: 1, headDim: 128, base: 10000 },
  { name: 'B=2 T=9 H=2 d=6 base=500', batch: 2, time: 9, heads: 2, headDim: 6, base: 500 },
];

export const rotaryChecks: KernelCheck[] = ROTARY_CASES.map((c, i) => ({
  name: `rotary ${c.name}`,
  // Each output is a 2-term f32 dot product with f32-rounded cos/sin: ~1e-7 relative.
  tolerance: { atol: 1e-6, rtol: 1e-5 },
  async run() {
    const n = c.batch * c.time * c.heads * c.headDim;
    const x = asF32(randomArray(n, 10 + i, -2, 2));
    const dy = asF32(randomArray(n, 20 + i));
    const shape = c.flatHeads ? [c.batch, c.time, c.heads * c.headDim] : [c.batch, c.time, c.heads, c.headDim];
    const { output, grads } = await runOp(
      [{ shape, data: x.f32 }],
      (g, [t]) => rotary(g, t!, { heads: c.heads, headDim: c.headDim, base: c.base }),
      dy.f32,
    );
    return [
      { what: 'forward', actual: output, expected: rotaryForwardReference(x.f64, c) },
      { what: 'backward dx', actual: grads[0]!, expected: rotaryBackwardReference(dy.f64, c) },
    ];
  },
}));
