// Sums and means over the last axis, [..., D] → [..., 1] (the pooling and averaging steps of
// the MAD layers). Forward: the strided reduction (shaders/reduce/reduce_forward.wgsl), one
// workgroup per row for long rows and several rows per workgroup for short ones, with a tree
// in workgroup memory. Backward: dx += scale · dy broadcast back over the row.

import { bind, type Graph } from '../../graph.ts';
import { grid1d } from '../../launch.ts';
import { shaderSource } from '../../shaderSource.ts';
import type { Tensor } from '../../tensor.ts';
import { packUniform } from '../../uniform.ts';
import { recordReduceToShape } from './reduceToShape.ts';

const WG = 256;

function reduceLastAxis(g: Graph, x: Tensor, mean: boolean): Tensor {
  const op = mean ? 'meanLastAxis' : 'sumLastAxis';
  if (x.dtype !== 'f32') throw new Error(`${op}: needs f32 input, got ${x}`);
  if (x.rank === 0) throw new Error(`${op}: needs at least one axis, got ${x}`);
  const d = x.lastDim;
  const scale = mean ? 1 / d : 1;
  const y = g.tensor([...x.shape.slice(0, -1), 1], 'f32', `${op}(${x.label})`);
  recordReduceToShape(g, { src: x, dst: y, scale, accumulate: false, label: `${op} forward` });
  g.apply(op, [x], [y], ([dy], [dx]) => {
    if (!dx) return;
    g.launch({
      label: `${op} backward`,
      source: shaderSource('reduce/reduce_backward.wgsl'),
      entryPoint: 'main',
      constants: { WG },
      bindings: [
        bind(dy!),
        bind(dx),
        {
          kind: 'uniform',
          data: packUniform([
            ['u32', x.size],
            ['u32', d],
            ['f32', scale],
          ]),
        },
      ],
      workgroups: grid1d(x.size / WG),
    });
  });
  return y;
}

/** y[..., 0] = Σ_d x[..., d]. x: [..., D] f32 → [..., 1]. */
export function sumLastAxis(g: Graph, x: Tensor): Tensor {
  return reduceLastAxis(g, x, false);
}

/** y[..., 0] = (1/D) Σ_d x[..., d]. x: [..., D] f32 → [..., 1]. */
export function meanLastAxis(g: Graph, x: Tensor): Tensor {
  return reduceLastAxis(g, x, true);
}
