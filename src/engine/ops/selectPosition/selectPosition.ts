// y = x[:, p, :]: one position of every sequence, [B, T, D] → [B, D]. The AutoEncoder pools the
// last position with it (docs/protocol.md §5.2, global_pool='last'). Backward: dx[:, p, :] += dy.

import { bind, type Graph } from '../../graph.ts';
import { grid1d } from '../../launch.ts';
import { shaderSource } from '../../shaderSource.ts';
import type { Tensor } from '../../tensor.ts';
import { packUniform } from '../../uniform.ts';

const WG = 256;

/** x: [B, T, D] f32 → [B, D], the rows at `position` (negative counts from the end, like Python). */
export function selectPosition(g: Graph, x: Tensor, position: number): Tensor {
  if (x.dtype !== 'f32' || x.shape.length !== 3) throw new Error(`selectPosition: needs an f32 [B, T, D] input, got ${x}`);
  const [batch, t, d] = x.shape as [number, number, number];
  const p = position < 0 ? t + position : position;
  if (!Number.isInteger(p) || p < 0 || p >= t) throw new Error(`selectPosition: position ${position} is outside 0…${t - 1}`);
  const y = g.tensor([batch, d], 'f32', `${x.label}[:, ${p}]`);
  const n = batch * d;
  const params = packUniform([
    ['u32', n],
    ['u32', t],
    ['u32', d],
    ['u32', p],
  ]);
  const workgroups = grid1d(n / WG);
  g.launch({
    label: 'selectPosition forward',
    source: shaderSource('elementwise/select_position_forward.wgsl'),
    entryPoint: 'main',
    constants: { WG },
    bindings: [bind(x), bind(y), { kind: 'uniform', data: params }],
    workgroups,
  });
  g.apply('selectPosition', [x], [y], ([dy], [dx]) => {
    if (!dx) return;
    g.launch({
      label: 'selectPosition backward',
      source: shaderSource('elementwise/select_position_backward.wgsl'),
      entryPoint: 'main',
      constants: { WG },
      bindings: [bind(dy!), bind(dx), { kind: 'uniform', data: params }],
      workgroups,
    });
  });
  return y;
}

/** The last position x[:, −1]. */
export function lastPosition(g: Graph, x: Tensor): Tensor {
  return selectPosition(g, x, -1);
}
