// CPU f64 reference of matmul (forward and backward): the oracle for shaders/matmul/*.wgsl.
// Straight triple loops over the layouts the op documents; nothing clever.

import { unaryDerivativeReference, unaryReference } from '../unary/reference.ts';
import type { MatmulActivation } from './matmul.ts';

export interface MatmulShape {
  batch: number;
  M: number;
  N: number;
  K: number;
  /** a is [batch, K, M] instead of [batch, M, K]. */
  transA: boolean;
  /** b is [.., N, K] instead of [.., K, N]. */
  transB: boolean;
  /** b is one 2-D matrix used by every batch. */
  sharedB: boolean;
  hasBias: boolean;
  activation: MatmulActivation;
}

function aIndex(s: MatmulShape, bt: number, m: number, k: number): number {
  return bt * s.M * s.K + (s.transA ? k * s.M + m : m * s.K + k);
}

function bIndex(s: MatmulShape, bt: number, k: number, n: number): number {
  return (s.sharedB ? 0 : bt * s.K * s.N) + (s.transB ? n * s.K + k : k * s.N + n);
}

function act(s: MatmulShape, x: number): number {
  return s.activation === 'none' ? x : unaryReference(s.activation, x, 1);
}

function actDerivative(s: MatmulShape, x: number): number {
  return s.activation === 'none' ? 1 : unaryDerivativeReference(s.activation, x, 1);
}

/** Z = op(A)·op(B) + bias, before the activation: [batch, M, N]. */
export function matmulPreActivation(s: MatmulShape, a: Float64Array, b: Float64Array, bias: Float64Array | null): Float64Array {
  const z = new Float64Array(s.batch * s.M * s.N);
  for (let bt = 0; bt < s.batch; bt++) {
    for (let m = 0; m < s.M; m++) {
      for (let n = 0; n < s.N; n++) {
        let sum = s.hasBias ? bias![n]! : 0;
        for (let k = 0; k < s.K; k++) sum += a[aIndex(s, bt, m, k)]! * b[bIndex(s, bt, k, n)]!;
        z[(bt * s.M + m) * s.N + n] = sum;
      }
    }
  }
  return z;
}

/** Y = act(op(A)·op(B) + bias): [batch, M, N]. */
export function matmulForwardReference(s: MatmulShape, a: Float64Array, b: Float64Array, bias: Float64Array | null): Float64Array {
  return matmulPreActivation(s, a, b, bias).map((v) => act(s, v));
}

export interface MatmulGrads {
  da: Float64Array;
  db: Float64Array;
  dbias: Float64Array;
}

/** Gradients of Σ dy·Y with respect to a, b (summed over the batch when shared) and bias. */
export function matmulBackwardReference(
  s: MatmulShape,
  a: Float64Array,
  b: Float64Array,
  bias: Float64Array | null,
  dy: Float64Array,
): MatmulGrads {
  const z = matmulPreActivation(s, a, b, bias);
  const dz = z.map((v, i) => dy[i]! * actDerivative(s, v));
  const da = new Float64Array(a.length);
  const db = new Float64Array(b.length);
  const dbias = new Float64Array(s.N);
  for (let bt = 0; bt < s.batch; bt++) {
    for (let m = 0; m < s.M; m++) {
      for (let n = 0; n < s.N; n++) {
        const g = dz[(bt * s.M + m) * s.N + n]!;
        dbias[n] += g;
        for (let k = 0; k < s.K; k++) {
          da[aIndex(s, bt, m, k)] += g * b[bIndex(s, bt, k, n)]!;
          db[bIndex(s, bt, k, n)] += g * a[aIndex(s, bt, m, k)]!;
        }
      }
    }
  }
  return { da, db, dbias };
}
