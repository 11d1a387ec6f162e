// RWKV's token shift: x′[b, t] = x[b, t−1] with x′[b, 0] = 0 (torch's ZeroPad2d((0, 0, 1, −1))).
// Used by the RWKV channel mixers (and time mixers). Backward shifts the gradient back:
// dx[b, t] += dx′[b, t+1].

import { bind, type Graph } from '../../graph.ts';
import { grid1d } from '../../launch.ts';
import { shaderSource } from '../../shaderSource.ts';
import type { Tensor } from '../../tensor.ts';
import { packUniform } from '../../uniform.ts';

export const TOKEN_SHIFT_SHADERS = {
  forward: 'sequence/token_shift_forward.wgsl',
  backward: 'sequence/token_shift_backward.wgsl',
} as const;

const WORKGROUP = 256;

/** x: [B, T, D] (or any [..., T, D]) → x′ of the same shape, shifted one step along T. */
export function tokenShift(g: Graph, x: Tensor): Tensor {
  if (x.dtype !== 'f32') throw new Error(`tokenShift: needs f32 input, got ${x}`);
  if (x.shape.length < 2) throw new Error(`tokenShift: needs [..., T, D], got ${x}`);
  const d = x.shape[x.shape.length - 1]!;
  const t = x.shape[x.shape.length - 2]!;
  const y = g.tensor(x.shape, 'f32', `tokenShift(${x.label})`);
  const params = packUniform([
    ['u32', x.size],
    ['u32', t],
    ['u32', d],
  ]);
  const workgroups = grid1d(x.size / WORKGROUP);
  const constants = { WG: WORKGROUP };
  g.launch({
    label: 'tokenShift forward',
    source: shaderSource(TOKEN_SHIFT_SHADERS.forward),
    entryPoint: 'main',
    constants,
    bindings: [bind(x), bind(y), { kind: 'uniform', data: params }],
    workgroups,
  });
  g.apply('tokenShift', [x], [y], ([dy], [dx]) => {
    if (!dx) return;
    g.launch({
      label: 'tokenShift backward',
      source: shaderSource(TOKEN_SHIFT_SHADERS.backward),
      entryPoint: 'main',
      constants,
      bindings: [bind(dy!), bind(dx), { kind: 'uniform', data: params }],
      workgroups,
    });
  });
  return y;
}
