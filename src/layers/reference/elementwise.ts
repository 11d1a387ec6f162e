// Pointwise ops on the tape: the activations (the unary op's f64 reference), tanh (no engine op:
// the GPU layers compose it, the reference takes it straight), and add/sub/mul with NumPy
// broadcasting of a trailing operand (the binary op's f64 reference).

import type { BinaryOp } from '../../engine/ops/binary/binary.ts';
import { binaryBackwardReference, binaryForwardReference } from '../../engine/ops/binary/reference.ts';
import { unaryBackwardReference, unaryForwardReference } from '../../engine/ops/unary/reference.ts';
import type { UnaryOp } from '../../engine/ops/unary/unary.ts';
import type { Tape, Var } from './tape.ts';

/** op(x) elementwise ('scale' multiplies by alpha). */
export function unary(t: Tape, op: UnaryOp, x: Var, alpha = 1): Var {
  return t.op(unaryForwardReference(op, x.value, alpha), [x], (dy) => [unaryBackwardReference(op, x.value, dy, alpha)]);
}

export function scale(t: Tape, x: Var, factor: number): Var {
  return unary(t, 'scale', x, factor);
}

export function tanh(t: Tape, x: Var): Var {
  return t.op(x.value.map(Math.tanh), [x], (dy) => [dy.map((g, i) => g * (1 - Math.tanh(x.value[i]!) ** 2))]);
}

/** a ∘ b where b has a's size or repeats along a's leading axes (b [n], a [rows, n]; n = 1 for a scalar). */
function binary(t: Tape, op: BinaryOp, a: Var, b: Var): Var {
  const n = b.value.length;
  if (a.value.length % n !== 0) throw new Error(`${op}: ${n} values do not broadcast over ${a.value.length}`);
  const operands = [
    { data: a.value, shape: [a.value.length / n, n] },
    { data: b.value, shape: [n] },
  ] as const;
  return t.op(binaryForwardReference(op, ...operands), [a, b], (dy) => {
    const r = binaryBackwardReference(op, ...operands, dy);
    return [r.da, r.db];
  });
}

export function add(t: Tape, a: Var, b: Var): Var {
  return binary(t, 'add', a, b);
}
export function sub(t: Tape, a: Var, b: Var): Var {
  return binary(t, 'sub', a, b);
}
export function mul(t: Tape, a: Var, b: Var): Var {
  return binary(t, 'mul', a, b);
}
