// Moving values without arithmetic, on the tape, from the layout ops' f64 references: a slice of
// the last axis, the channel wrap (a slice that wraps around, for Hyena's tied groups) and the
// token shift (x′_t = x_{t−1}, x′_0 = 0).

import { channelWrapBackwardReference, channelWrapForwardReference } from '../../engine/ops/channelWrap/reference.ts';
import { sliceBackwardReference, sliceForwardReference } from '../../engine/ops/slice/reference.ts';
import { tokenShiftBackwardReference, tokenShiftForwardReference } from '../../engine/ops/tokenShift/reference.ts';
import type { Tape, Var } from './tape.ts';

/** Columns [start, start + size) of x [rows, width]. */
export function slice(t: Tape, x: Var, width: number, start: number, size: number): Var {
  return t.op(sliceForwardReference(x.value, width, start, size), [x], (dy) => [sliceBackwardReference(dy, width, start, size)]);
}

/** y[r, j] = x[r, (offset + j) mod width], j < n. */
export function channelWrap(t: Tape, x: Var, width: number, offset: number, n: number): Var {
  return t.op(channelWrapForwardReference(x.value, width, offset, n), [x], (dy) => [channelWrapBackwardReference(dy, width, offset, n)]);
}

/** x [B, T, d] shifted one step along time. */
export function tokenShift(t: Tape, x: Var, T: number, d: number): Var {
  const B = x.value.length / (T * d);
  return t.op(tokenShiftForwardReference(x.value, B, T, d), [x], (dy) => [tokenShiftBackwardReference(dy, B, T, d)]);
}
