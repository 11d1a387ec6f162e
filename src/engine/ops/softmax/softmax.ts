// Softmax over the last axis (attention probabilities, gating): numerically stable (the row
// max is subtracted), one dispatch forward and one backward. The output y is what backward
// saves: dx += y ∘ (dy − Σ dy ∘ y).

import { bind, type Graph } from '../../graph.ts';
import { grid1d } from '../../launch.ts';
import { shaderSource } from '../../shaderSource.ts';
import type { Tensor } from '../../tensor.ts';
import { packUniform } from '../../uniform.ts';
import { nextPow2 } from '../reduce/broadcast.ts';

const WG = 256;

/**
 * Invocations per row: about four elements each (rounded to a power of two), at most one
 * workgroup. Fewer, busier lanes mean fewer tree levels (barriers) and no idle lanes on short
 * rows: D = 128 runs 32 lanes × 8 rows per workgroup, D = 8,192 one row on 256 lanes.
 */
export function softmaxLanes(d: number): number {
  return Math.min(WG, nextPow2(Math.ceil(d / 4)));
}

/** y = softmax(x) over the last axis. x: [..., D] f32 → [..., D]. */
export function softmax(g: Graph, x: Tensor): Tensor {
  if (x.dtype !== 'f32') throw new Error(`softmax: needs f32 input, got ${x}`);
  const d = x.lastDim;
  const rows = x.size / d;
  const lanes = softmaxLanes(d);
  const y = g.tensor(x.shape, 'f32', `softmax(${x.label})`);
  const params = packUniform([
    ['u32', rows],
    ['u32', d],
  ]);
  const constants = { WG, LANES: lanes };
  const workgroups = grid1d(rows / (WG / lanes));
  g.launch({
    label: 'softmax forward',
    source: shaderSource('reduce/softmax_forward.wgsl'),
    entryPoint: 'main',
    constants,
    bindings: [bind(x), bind(y), { kind: 'uniform', data: params }],
    workgroups,
  });
  // Saves: y (the output itself).
  g.apply('softmax', [x], [y], ([dy], [dx]) => {
    if (!dx) return;
    g.launch({
      label: 'softmax backward',
      source: shaderSource('reduce/softmax_backward.wgsl'),
      entryPoint: 'main',
      constants,
      bindings: [bind(y), bind(dy!), bind(dx), { kind: 'uniform', data: params }],
      workgroups,
    });
  });
  return y;
}
