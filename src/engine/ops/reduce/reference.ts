// CPU f64 reference of sums and means over the last axis, and of reducing a broadcast tensor
// back to an operand's shape: the oracles for shaders/reduce/*.wgsl.

import { broadcastStrides } from './broadcast.ts';

/** x: [rows, d] flat → [rows]. */
export function reduceLastAxisForwardReference(x: Float64Array, d: number, mean: boolean): Float64Array {
  const rows = x.length / d;
  const y = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let i = 0; i < d; i++) s += x[r * d + i]!;
    y[r] = mean ? s / d : s;
  }
  return y;
}

/** dx[r, i] = dy[r] (· 1/d for the mean). */
export function reduceLastAxisBackwardReference(dy: Float64Array, d: number, mean: boolean): Float64Array {
  const dx = new Float64Array(dy.length * d);
  for (let r = 0; r < dy.length; r++) {
    for (let i = 0; i < d; i++) dx[r * d + i] = mean ? dy[r]! / d : dy[r]!;
  }
  return dx;
}

/**
 * Σ of src (shape `shape`) over the axes along which `target` is broadcast, each term times
 * other (shape `otherShape`, broadcast) when given. The result has target's shape.
 */
export function reduceToShapeReference(
  src: Float64Array,
  shape: readonly number[],
  target: readonly number[],
  other?: { data: Float64Array; shape: readonly number[] },
): Float64Array {
  const targetStrides = broadcastStrides(target, shape);
  const otherStrides = other ? broadcastStrides(other.shape, shape) : null;
  const out = new Float64Array(target.reduce((a, b) => a * b, 1));
  const coord = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < src.length; i++) {
    let t = 0;
    let o = 0;
    let rem = i;
    for (let k = shape.length - 1; k >= 0; k--) {
      coord[k] = rem % shape[k]!;
      rem = Math.floor(rem / shape[k]!);
      t += coord[k]! * targetStrides[k]!;
      if (otherStrides) o += coord[k]! * otherStrides[k]!;
    }
    out[t] = out[t]! + src[i]! * (other ? other.data[o]! : 1);
  }
  return out;
}
