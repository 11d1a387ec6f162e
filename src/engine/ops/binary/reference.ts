// CPU f64 reference of broadcasting add/sub/mul and their backward: the oracle for
// shaders/elementwise/binary_*.wgsl (and, through the broadcast gradients, reduce_forward.wgsl).

import { broadcastShapes, broadcastStrides } from '../reduce/broadcast.ts';
import { reduceToShapeReference } from '../reduce/reference.ts';
import type { BinaryOp } from './binary.ts';

export interface Operand {
  data: Float64Array;
  shape: readonly number[];
}

function apply(op: BinaryOp, x: number, y: number): number {
  if (op === 'add') return x + y;
  if (op === 'sub') return x - y;
  return x * y;
}

/** The operand's value at every element of the broadcast shape. */
function expand(x: Operand, shape: readonly number[]): Float64Array {
  const strides = broadcastStrides(x.shape, shape);
  const n = shape.reduce((p, d) => p * d, 1);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let rem = i;
    let at = 0;
    for (let k = shape.length - 1; k >= 0; k--) {
      at += (rem % shape[k]!) * strides[k]!;
      rem = Math.floor(rem / shape[k]!);
    }
    out[i] = x.data[at]!;
  }
  return out;
}

export function binaryForwardReference(op: BinaryOp, a: Operand, b: Operand): Float64Array {
  const shape = broadcastShapes(a.shape, b.shape);
  const ea = expand(a, shape);
  const eb = expand(b, shape);
  return ea.map((v, i) => apply(op, v, eb[i]!));
}

/** Gradients of Σ dy · (a ∘ b) with respect to a and b, each in its operand's shape. */
export function binaryBackwardReference(
  op: BinaryOp,
  a: Operand,
  b: Operand,
  dy: Float64Array,
): { da: Float64Array; db: Float64Array } {
  const shape = broadcastShapes(a.shape, b.shape);
  const ea = expand(a, shape);
  const eb = expand(b, shape);
  // Per-element partial derivatives in the broadcast shape, then summed over broadcast axes.
  const ga = dy.map((g, i) => (op === 'mul' ? g * eb[i]! : g));
  const gb = dy.map((g, i) => (op === 'mul' ? g * ea[i]! : op === 'sub' ? -g : g));
  return { da: reduceToShapeReference(ga, shape, a.shape), db: reduceToShapeReference(gb, shape, b.shape) };
}
