// GPU-versus-reference checks of the expert-weighted sum. Inputs are O(1); forward and dgate sum
// E resp. D products in f32 (relative error ≲ 1e-6 · terms), dz is a single product:
// atol 1e-5 + rtol 1e-5 covers D ≤ 40.

import type { KernelCheck } from '../kernelCheck.ts';
import { runOp } from '../../testing/opHarness.ts';
import { asF32, randomArray } from '../../testing/random.ts';
import { mul } from '../binary/binary.ts';
import { sumLastAxis } from '../reduce/reduce.ts';
import { expertMix } from './expertMix.ts';
import { expertMixBackwardReference, expertMixForwardReference } from './reference.ts';

const SHAPES: [number, number, number][] = [
  // [rows, D, E]
  [6, 16, 8],
  [13, 7, 3],
  [33, 40, 8],
  [5, 9, 1],
];

const fusedChecks: KernelCheck[] = SHAPES.map(([rows, d, e]) => ({
  name: `expertMix ${rows}×${d}×${e}`,
  tolerance: { atol: 1e-5, rtol: 1e-5 },
  async run() {
    const z = asF32(randomArray(rows * d * e, 31 + d));
    const gate = asF32(randomArray(rows * e, 32 + e, 0, 1));
    const dy = asF32(randomArray(rows * d, 33 + rows));
    // Leading dims [rows, 1]: the op works on any [..., D·E] / [..., E] pair.
    const { output, grads } = await runOp(
      [
        { shape: [rows, 1, d * e], data: z.f32 },
        { shape: [rows, 1, e], data: gate.f32 },
      ],
      (g, [zt, gt]) => expertMix(g, zt!, gt!),
      dy.f32,
    );
    const ref = expertMixBackwardReference(z.f64, gate.f64, dy.f64, rows, d, e);
    return [
      { what: 'forward', actual: output, expected: expertMixForwardReference(z.f64, gate.f64, rows, d, e) },
      { what: 'backward dz', actual: grads[0]!, expected: ref.dz },
      { what: 'backward dgate', actual: grads[1]!, expected: ref.dgate },
    ];
  },
}));

/**
 * The fused kernel against the naive GPU formulation mad-lab writes: z viewed as [N, D, E] times
 * gate viewed as [N, 1, E] (broadcast multiply), then a sum over the last axis. Both run in f32
 * in a different order; same tolerance.
 */
const composedChecks: KernelCheck[] = [
  [9, 16, 8],
  [21, 5, 3],
].map(([rows, d, e]) => ({
  name: `expertMix ${rows}×${d}×${e} vs composed mul + sumLastAxis`,
  tolerance: { atol: 1e-5, rtol: 1e-5 },
  async run() {
    const z = asF32(randomArray(rows! * d! * e!, 51 + d!)).f32;
    const gate = asF32(randomArray(rows! * e!, 52, 0, 1)).f32;
    const dy = asF32(randomArray(rows! * d!, 53)).f32;
    const inputs = [
      { shape: [rows!, d! * e!], data: z },
      { shape: [rows!, e!], data: gate },
    ];
    const fused = await runOp(inputs, (g, [zt, gt]) => expertMix(g, zt!, gt!), dy);
    const composed = await runOp(
      inputs,
      // The output stays [rows, D, 1]: Graph.backward drops a seed given to a view of the output.
      (g, [zt, gt]) => sumLastAxis(g, mul(g, g.view(zt!, [rows!, d!, e!]), g.view(gt!, [rows!, 1, e!]))),
      dy,
    );
    return [
      { what: 'forward vs composed', actual: fused.output, expected: composed.output },
      { what: 'backward dz vs composed', actual: fused.grads[0]!, expected: composed.grads[0]! },
      { what: 'backward dgate vs composed', actual: fused.grads[1]!, expected: composed.grads[1]! },
    ];
  },
}));

export const expertMixChecks: KernelCheck[] = [...fusedChecks, ...composedChecks];
