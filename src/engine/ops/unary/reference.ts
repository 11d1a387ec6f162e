// CPU f64 reference of the pointwise functions: the oracle for unary_forward/backward.wgsl.

import type { UnaryOp } from './unary.ts';

function erf(x: number): number {
  // An oracle needs more than the shader's 1.5e-7 approximation: the Taylor series below 3,
  // the continued fraction of erfc above.
  const a = Math.abs(x);
  let r: number;
  if (a < 3) {
    let term = a;
    let sum = a;
    for (let n = 1; n < 200; n++) {
      term *= (-a * a) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    r = (2 / Math.sqrt(Math.PI)) * sum;
  } else {
    // erfc(a) = e^(−a²)/√π · 1/(a + (1/2)/(a + (2/2)/(a + (3/2)/(a + …)))), evaluated from the tail.
    let f = 0;
    for (let n = 60; n >= 1; n--) f = (n / 2) / (a + f);
    r = 1 - Math.exp(-a * a) / Math.sqrt(Math.PI) / (a + f);
  }
  return x < 0 ? -r : r;
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

export function unaryReference(op: UnaryOp, x: number, alpha: number): number {
  switch (op) {
    case 'gelu-tanh':
      return 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x ** 3)));
    case 'gelu-erf':
      return 0.5 * x * (1 + erf(x / Math.SQRT2));
    case 'silu':
      return x * sigmoid(x);
    case 'sigmoid':
      return sigmoid(x);
    case 'softplus':
      return x > 20 ? x : Math.log1p(Math.exp(x));
    case 'exp':
      return Math.exp(x);
    case 'sin':
      return Math.sin(x);
    case 'scale':
      return alpha * x;
    case 'relu-squared':
      return x > 0 ? x * x : 0;
  }
}

export function unaryDerivativeReference(op: UnaryOp, x: number, alpha: number): number {
  switch (op) {
    case 'gelu-tanh': {
      const th = Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x ** 3));
      return 0.5 * (1 + th) + 0.5 * x * (1 - th * th) * SQRT_2_OVER_PI * (1 + 3 * 0.044715 * x * x);
    }
    case 'gelu-erf':
      return 0.5 * (1 + erf(x / Math.SQRT2)) + (x * Math.exp(-0.5 * x * x)) / Math.sqrt(2 * Math.PI);
    case 'silu': {
      const s = sigmoid(x);
      return s * (1 + x * (1 - s));
    }
    case 'sigmoid': {
      const s = sigmoid(x);
      return s * (1 - s);
    }
    case 'softplus':
      return sigmoid(x);
    case 'exp':
      return Math.exp(x);
    case 'sin':
      return Math.cos(x);
    case 'scale':
      return alpha;
    case 'relu-squared':
      return x > 0 ? 2 * x : 0;
  }
}

export function unaryForwardReference(op: UnaryOp, x: Float64Array, alpha = 1): Float64Array {
  return x.map((v) => unaryReference(op, v, alpha));
}

export function unaryBackwardReference(op: UnaryOp, x: Float64Array, dy: Float64Array, alpha = 1): Float64Array {
  return x.map((v, i) => dy[i]! * unaryDerivativeReference(op, v, alpha));
}
