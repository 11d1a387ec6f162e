// Linear layers on the tape, computed by the matmul op's f64 reference: PyTorch's Linear
// (x · Wᵀ + b with W [out, in]) and a plain product with a raw [in, out] matrix parameter.

import { matmulBackwardReference, matmulForwardReference, type MatmulShape } from '../../engine/ops/matmul/reference.ts';
import type { Tape, Var } from './tape.ts';

function product(t: Tape, x: Var, w: Var, b: Var | null, din: number, dout: number, weightIsOutByIn: boolean): Var {
  const s: MatmulShape = {
    batch: 1,
    M: x.value.length / din,
    N: dout,
    K: din,
    transA: false,
    transB: weightIsOutByIn,
    sharedB: true,
    hasBias: b !== null,
    activation: 'none',
  };
  const bias = b?.value ?? null;
  return t.op(matmulForwardReference(s, x.value, w.value, bias), [x, w, b], (dy) => {
    const r = matmulBackwardReference(s, x.value, w.value, bias, dy);
    return [r.da, r.db, r.dbias];
  });
}

/** x [rows, din] · Wᵀ (+ b): W [dout, din] and b [dout], as PyTorch's Linear stores them. */
export function linear(t: Tape, x: Var, w: Var, din: number, dout: number, b: Var | null = null): Var {
  return product(t, x, w, b, din, dout, true);
}

/** x [rows, din] · W with a raw matrix parameter W [din, dout] (RWKV6's low-rank factors). */
export function matmul(t: Tape, x: Var, w: Var, din: number, dout: number): Var {
  return product(t, x, w, null, din, dout, false);
}
