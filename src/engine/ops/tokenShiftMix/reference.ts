// CPU f64 reference of the fused token-shift mix (plain loops), and the naive composition it
// replaces: tokenShift, then the elementwise formula of each RWKV version.

import { tokenShiftForwardReference } from '../tokenShift/reference.ts';
import type { TokenShiftMixMode } from './tokenShiftMix.ts';

export interface MixShape {
  b: number;
  t: number;
  d: number;
}

/** Weight a on x (y = a·x + (1 − a)·x′). */
const weightOnX = (mode: TokenShiftMixMode, m: number): number => (mode === 'rwkv5' ? m : 1 - m);

export function tokenShiftMixForwardReference(x: Float64Array, mix: Float64Array, { b, t, d }: MixShape, mode: TokenShiftMixMode): Float64Array {
  const y = new Float64Array(b * t * d);
  for (let bi = 0; bi < b; bi++) {
    for (let ti = 0; ti < t; ti++) {
      for (let c = 0; c < d; c++) {
        const i = (bi * t + ti) * d + c;
        const xs = ti > 0 ? x[i - d]! : 0;
        const a = weightOnX(mode, mix[c]!);
        y[i] = a * x[i]! + (1 - a) * xs;
      }
    }
  }
  return y;
}

export function tokenShiftMixBackwardReference(
  x: Float64Array,
  mix: Float64Array,
  dy: Float64Array,
  { b, t, d }: MixShape,
  mode: TokenShiftMixMode,
): { dx: Float64Array; dmix: Float64Array } {
  const dx = new Float64Array(x.length);
  const dmix = new Float64Array(d);
  const sign = mode === 'rwkv5' ? 1 : -1;
  for (let bi = 0; bi < b; bi++) {
    for (let ti = 0; ti < t; ti++) {
      for (let c = 0; c < d; c++) {
        const i = (bi * t + ti) * d + c;
        const a = weightOnX(mode, mix[c]!);
        const xs = ti > 0 ? x[i - d]! : 0;
        dx[i]! += dy[i]! * a;
        if (ti > 0) dx[i - d]! += dy[i]! * (1 - a);
        dmix[c]! += sign * dy[i]! * (x[i]! - xs);
      }
    }
  }
  return { dx, dmix };
}

/** As mad-lab writes it: RWKV5 x·μ + x′·(1 − μ); RWKV6 x + (x′ − x)·m, on an explicit x′. */
export function tokenShiftMixNaive(x: Float64Array, mix: Float64Array, { b, t, d }: MixShape, mode: TokenShiftMixMode): Float64Array {
  const xs = tokenShiftForwardReference(x, b, t, d);
  return x.map((v, i) => {
    const m = mix[i % d]!;
    return mode === 'rwkv5' ? v * m + xs[i]! * (1 - m) : v + (xs[i]! - v) * m;
  });
}
