// Pointwise functions y = f(x) with their gradients: the activations of every MAD layer
// (gelu-tanh in mlp, gelu-erf in the AutoEncoder decoder, silu in swiglu/mamba, sigmoid,
// softplus for Δ, exp and sin for Hyena's filter), scaling by a constant, and relu-squared
// (max(x, 0)², the RWKV channel mixers' key activation).

import { bind, type Graph } from '../../graph.ts';
import { grid1d } from '../../launch.ts';
import { shaderSource } from '../../shaderSource.ts';
import type { Tensor } from '../../tensor.ts';
import { packUniform } from '../../uniform.ts';

/**
 * Op codes in the order of shaders/common/activations.wgsl. Append new ops at the END only.
 * Code 8 is the shader's OP_IDENTITY (matmul's "no activation"), so ops from index 8 on have
 * shader code index + 1 (unaryOpCode): 'relu-squared' (index 8) is OP_RELU_SQUARED = 9.
 */
export const UNARY_OPS = ['gelu-tanh', 'gelu-erf', 'silu', 'sigmoid', 'softplus', 'exp', 'sin', 'scale', 'relu-squared'] as const;
export type UnaryOp = (typeof UNARY_OPS)[number];

/** OP_IDENTITY in shaders/common/activations.wgsl (matmul's "no activation"): no UnaryOp has this code. */
export const OP_IDENTITY_CODE = 8;

/** The shader op code of a unary op (its UNARY_OPS index, skipping OP_IDENTITY's code 8). */
export function unaryOpCode(op: UnaryOp): number {
  const index = UNARY_OPS.indexOf(op);
  if (index < 0) throw new Error(`unknown unary op ${op}`);
  return index < OP_IDENTITY_CODE ? index : index + 1;
}

const WORKGROUP = 256;

export function unary(g: Graph, op: UnaryOp, x: Tensor, alpha = 1): Tensor {
  if (x.dtype !== 'f32') throw new Error(`${op}: needs f32 input, got ${x}`);
  const y = g.tensor(x.shape, 'f32', `${op}(${x.label})`);
  const params = packUniform([
    ['u32', x.size],
    ['f32', alpha],
  ]);
  const constants = { OP: unaryOpCode(op), WG: WORKGROUP };
  const workgroups = grid1d(x.size / WORKGROUP);
  g.launch({
    label: `${op} forward`,
    source: shaderSource('elementwise/unary_forward.wgsl'),
    entryPoint: 'main',
    constants,
    bindings: [bind(x), bind(y), { kind: 'uniform', data: params }],
    workgroups,
  });
  g.apply(op, [x], [y], ([dy], [dx]) => {
    if (!dx) return;
    g.launch({
      label: `${op} backward`,
      source: shaderSource('elementwise/unary_backward.wgsl'),
      entryPoint: 'main',
      constants,
      bindings: [bind(x), bind(dy!), bind(dx), { kind: 'uniform', data: params }],
      workgroups,
    });
  });
  return y;
}
