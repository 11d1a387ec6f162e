// LayerNorm over the last axis with an affine weight and bias: y = (x − mean) / sqrt(var + eps)
// ⊙ w + b (biased variance, as PyTorch). Forward: one dispatch, saving mean and 1/std per row.
// Backward: one dispatch for dx and partial sums of dw and db, one more to add the partials in a
// fixed order (deterministic, no atomics).

import { bind, type Graph } from '../../graph.ts';
import { grid1d } from '../../launch.ts';
import { shaderSource } from '../../shaderSource.ts';
import { assertShape, type Tensor } from '../../tensor.ts';
import { packUniform } from '../../uniform.ts';
import { NORM_WG, normBackwardBlocks, normLayout, placeholder, recordNormParamGrad } from '../rmsnorm/normShared.ts';
import { NORM_EPS } from '../rmsnorm/rmsnorm.ts';

export interface LayerNormResult {
  y: Tensor;
  /** Per-row mean, [..., 1]: saved for backward. */
  mean: Tensor;
  /** Per-row 1 / sqrt(var + eps), [..., 1]: saved for backward. */
  rstd: Tensor;
}

/** LayerNorm with its saved statistics (tests read them). x: [..., D], w, b: [D]. */
export function layernormWithStats(g: Graph, x: Tensor, w: Tensor, b: Tensor, eps = NORM_EPS): LayerNormResult {
  if (x.dtype !== 'f32' || w.dtype !== 'f32' || b.dtype !== 'f32') {
    throw new Error(`layernorm: needs f32 tensors, got ${x}, ${w} and ${b}`);
  }
  const d = x.lastDim;
  assertShape(w, [d], 'layernorm weight');
  assertShape(b, [d], 'layernorm bias');
  const rows = x.size / d;
  const layout = normLayout('layernorm', d);
  const constants = { WG: NORM_WG, LANES: layout.lanes, PER_THREAD: layout.perThread };
  const statShape = [...x.shape.slice(0, -1), 1];
  const y = g.tensor(x.shape, 'f32', `layernorm(${x.label})`);
  const mean = g.tensor(statShape, 'f32', `layernorm mean(${x.label})`);
  const rstd = g.tensor(statShape, 'f32', `layernorm rstd(${x.label})`);
  g.launch({
    label: 'layernorm forward',
    source: shaderSource('norm/layernorm_forward.wgsl'),
    entryPoint: 'main',
    constants,
    bindings: [
      bind(x),
      bind(w),
      bind(b),
      bind(y),
      bind(mean),
      bind(rstd),
      {
        kind: 'uniform',
        data: packUniform([
          ['u32', rows],
          ['u32', d],
          ['f32', eps],
        ]),
      },
    ],
    workgroups: grid1d(rows / layout.slots),
  });
  // Saves: x, w (inputs), mean and rstd. The bias is not needed.
  g.apply('layernorm', [x, w, b], [y], ([dy], [dx, dw, db]) => {
    if (!dx && !dw && !db) return;
    const { iters, blocks, partialRows } = normBackwardBlocks(rows, layout);
    const params = dw || db;
    const partial = params
      ? g.tensor([partialRows, 2, d], 'f32', 'layernorm dw/db partials')
      : placeholder(g, 'layernorm dw/db partials');
    g.launch({
      label: 'layernorm backward',
      source: shaderSource('norm/layernorm_backward.wgsl'),
      entryPoint: 'main',
      constants,
      bindings: [
        bind(x),
        bind(w),
        bind(mean),
        bind(rstd),
        bind(dy!),
        bind(dx ?? placeholder(g, 'layernorm dx')),
        bind(partial),
        {
          kind: 'uniform',
          data: packUniform([
            ['u32', rows],
            ['u32', d],
            ['u32', iters],
            ['u32', dx ? 1 : 0],
            ['u32', params ? 1 : 0],
          ]),
        },
      ],
      workgroups: grid1d(blocks),
    });
    if (params) {
      // Weight and bias train together in practice; if only one does, the other's sum goes to a
      // scratch tensor rather than a second kernel variant.
      const dwOut = dw ?? g.tensor([d], 'f32', 'layernorm dw (unused)');
      recordNormParamGrad(g, 'layernorm', partial, partialRows, d, dwOut, db ?? g.tensor([d], 'f32', 'layernorm db (unused)'));
    }
  });
  return { y, mean, rstd };
}

/** y = (x − mean) / sqrt(var + eps) ⊙ w + b over the last axis. x: [..., D] f32; w, b: [D]. */
export function layernorm(g: Graph, x: Tensor, w: Tensor, b: Tensor, eps = NORM_EPS): Tensor {
  return layernormWithStats(g, x, w, b, eps).y;
}
