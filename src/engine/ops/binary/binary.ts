// Broadcasting elementwise arithmetic, y = a ∘ b for ∘ ∈ {+, −, ×}: residual adds, biases
// ([B, T, D] + [D]), gates ([B, T, D] · [B, T, 1]) and products of equal shapes. Broadcasting
// follows NumPy. Backward: an operand of the output's shape gets its gradient elementwise (both
// operands in one pass when neither is broadcast); a broadcast operand gets the sum of the
// gradient over its broadcast axes from the deterministic strided reduction (no atomics).

import { bind, type Graph } from '../../graph.ts';
import { grid1d } from '../../launch.ts';
import { shaderSource } from '../../shaderSource.ts';
import { sameShape, type Tensor } from '../../tensor.ts';
import { packUniform, type ScalarType } from '../../uniform.ts';
import { broadcastShapes, broadcastStrides, mergeDims, padDims } from '../reduce/broadcast.ts';
import { recordReduceToShape } from '../reduce/reduceToShape.ts';

/** Op codes in the order of OP_* in shaders/elementwise/binary_*.wgsl. */
export const BINARY_OPS = ['add', 'sub', 'mul'] as const;
export type BinaryOp = (typeof BINARY_OPS)[number];

const WG = 256;

export function binary(g: Graph, op: BinaryOp, a: Tensor, b: Tensor): Tensor {
  if (a.dtype !== 'f32' || b.dtype !== 'f32') throw new Error(`${op}: needs f32 operands, got ${a} and ${b}`);
  const shape = broadcastShapes(a.shape, b.shape);
  const y = g.tensor(shape, 'f32', `${op}(${a.label}, ${b.label})`);
  const merged = mergeDims(shape, [broadcastStrides(a.shape, shape), broadcastStrides(b.shape, shape)]);
  const u = (values: readonly number[]): [ScalarType, number][] =>
    padDims(values, `${op} ${a} ${b}`).map((v) => ['u32', v] as [ScalarType, number]);
  const code = BINARY_OPS.indexOf(op);
  const same = a === b;
  const contiguous = merged.sizes.length === 1 && merged.strides.every((s) => s[0] === 1);
  g.launch({
    label: `${op} forward`,
    source: shaderSource('elementwise/binary_forward.wgsl'),
    entryPoint: same ? 'main_same' : contiguous ? 'main_contiguous' : 'main',
    constants: { OP: code, WG },
    bindings: [
      bind(a),
      bind(y),
      {
        kind: 'uniform',
        data: packUniform([
          ['u32', y.size],
          ['u32', merged.sizes.length],
          ['u32', 0],
          ['u32', 0],
          ...u(merged.sizes),
          ...u(merged.strides[0]!),
          ...u(merged.strides[1]!),
        ]),
      },
      // One tensor cannot fill two slots: WebGPU rejects overlapping writable bindings.
      ...(same ? [] : [bind(b)]),
    ],
    workgroups: grid1d(y.size / WG),
  });

  g.apply(op, [a, b], [y], ([dy], [da, db]) => {
    const elementwise = (entryPoint: 'both' | 'one', factor: number, tensors: Tensor[]): void => {
      const [first, ...rest] = tensors;
      g.launch({
        label: `${op} backward`,
        source: shaderSource('elementwise/binary_backward.wgsl'),
        entryPoint,
        constants: { OP: code, WG },
        bindings: [
          bind(dy!),
          bind(first!),
          {
            kind: 'uniform',
            data: packUniform([
              ['u32', y.size],
              ['f32', factor],
            ]),
          },
          ...rest.map(bind),
        ],
        workgroups: grid1d(y.size / WG),
      });
    };
    if (same) {
      // y = x ∘ x: dx += dy · 2x (mul), 2·dy (add); x − x is constant.
      if (da && op !== 'sub') elementwise('one', 2, [da, a]);
      return;
    }
    const aFull = sameShape(a.shape, shape);
    const bFull = sameShape(b.shape, shape);
    if (aFull && bFull && da && db) {
      elementwise('both', 1, [da, b, db, a]);
      return;
    }
    // da = Σ_broadcast dy (· b);  db = ±Σ_broadcast dy (· a). An operand of the output's shape
    // takes the elementwise kernel, unless it must read the other, broadcast operand (mul):
    // then the strided reduction with nothing to reduce (R = 1) does the indexing.
    const needsOther = op === 'mul' && !(aFull && bFull);
    if (da) {
      if (aFull && !needsOther) elementwise('one', 1, [da, b]);
      else {
        recordReduceToShape(g, {
          src: dy!,
          dst: da,
          other: op === 'mul' ? b : undefined,
          accumulate: true,
          label: `${op} backward da`,
        });
      }
    }
    if (db) {
      const sign = op === 'sub' ? -1 : 1;
      if (bFull && !needsOther) elementwise('one', sign, [db, a]);
      else {
        recordReduceToShape(g, {
          src: dy!,
          dst: db,
          other: op === 'mul' ? a : undefined,
          scale: sign,
          accumulate: true,
          label: `${op} backward db`,
        });
      }
    }
  });
  return y;
}

/** y = a + b, NumPy broadcasting. */
export function add(g: Graph, a: Tensor, b: Tensor): Tensor {
  return binary(g, 'add', a, b);
}

/** y = a − b, NumPy broadcasting. */
export function sub(g: Graph, a: Tensor, b: Tensor): Tensor {
  return binary(g, 'sub', a, b);
}

/** y = a · b elementwise, NumPy broadcasting. */
export function mul(g: Graph, a: Tensor, b: Tensor): Tensor {
  return binary(g, 'mul', a, b);
}
