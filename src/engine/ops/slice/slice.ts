// A contiguous slice of the last axis, y = x[..., start : start + size], with its backward
// (dx[..., start + j] += dy[..., j]). Used to split fused projections (Mamba's [x | z] and
// [δ | B | C]); a copy, since views cannot stride.

import { bind, type Graph } from '../../graph.ts';
import { grid1d } from '../../launch.ts';
import { shaderSource } from '../../shaderSource.ts';
import type { Tensor } from '../../tensor.ts';
import { packUniform } from '../../uniform.ts';

const WORKGROUP = 256;

export function sliceLastAxis(g: Graph, x: Tensor, start: number, size: number): Tensor {
  const W = x.lastDim;
  if (x.dtype !== 'f32') throw new Error(`sliceLastAxis: needs f32, got ${x}`);
  if (!Number.isInteger(start) || !Number.isInteger(size) || start < 0 || size < 1 || start + size > W) {
    throw new Error(`sliceLastAxis: [${start}, ${start + size}) is outside the last axis of ${x}`);
  }
  const shape = [...x.shape.slice(0, -1), size];
  const y = g.tensor(shape, 'f32', `${x.label}[…, ${start}:${start + size}]`);
  const params = packUniform([
    ['u32', y.size],
    ['u32', W],
    ['u32', start],
    ['u32', size],
  ]);
  const workgroups = grid1d(y.size / WORKGROUP);
  g.launch({
    label: 'slice forward',
    source: shaderSource('layout/slice_forward.wgsl'),
    entryPoint: 'main',
    constants: { WG: WORKGROUP },
    bindings: [bind(x), bind(y), { kind: 'uniform', data: params }],
    workgroups,
  });
  g.apply('sliceLastAxis', [x], [y], ([dy], [dx]) => {
    if (!dx) return;
    g.launch({
      label: 'slice backward',
      source: shaderSource('layout/slice_backward.wgsl'),
      entryPoint: 'main',
      constants: { WG: WORKGROUP },
      bindings: [bind(dy!), bind(dx), { kind: 'uniform', data: params }],
      workgroups,
    });
  });
  return y;
}
