// LayerNorm over the last axis with an affine weight and bias: y = (x − mean) / sqrt(var + eps)
// ⊙ w + b (biased variance, as PyTorch). Forward: one dispatch, saving mean and 1/std per row.
// Backward, 'lanes' variant: one dispatch for dx and partial sums of dw and db, one more to add
// the partials in a fixed order; 'rows' variant (CPU adapters, see normShared.ts): one dispatch
// for dx (a row per invocation), one for dw and db (a column per invocation). Deterministic, no
// atomics, either way.

import { bind, type Graph } from '../../graph.ts';
import { grid1d } from '../../launch.ts';
import { shaderSource } from '../../shaderSource.ts';
import { assertShape, type Tensor } from '../../tensor.ts';
import { packUniform } from '../../uniform.ts';
import {
  NORM_ROWS_WG,
  NORM_WG,
  normBackwardBlocks,
  type NormLayout,
  normLayout,
  type NormVariant,
  normVariantFor,
  placeholder,
  recordNormParamGrad,
} from '../normShared.ts';
import { NORM_EPS } from '../rmsnorm/rmsnorm.ts';

export interface LayerNormResult {
  y: Tensor;
  /** Per-row mean, [..., 1]: saved for backward. */
  mean: Tensor;
  /** Per-row 1 / sqrt(var + eps), [..., 1]: saved for backward. */
  rstd: Tensor;
}

/** LayerNorm with its saved statistics (tests read them). x: [..., D], w, b: [D]. */
export function layernormWithStats(g: Graph, x: Tensor, w: Tensor, b: Tensor, eps = NORM_EPS, variant = normVariantFor(g.target)): LayerNormResult {
  if (x.dtype !== 'f32' || w.dtype !== 'f32' || b.dtype !== 'f32') {
    throw new Error(`layernorm: needs f32 tensors, got ${x}, ${w} and ${b}`);
  }
  const d = x.lastDim;
  assertShape(w, [d], 'layernorm weight');
  assertShape(b, [d], 'layernorm bias');
  const rows = x.size / d;
  // Checked for both variants: a width the 'lanes' kernels cannot hold is refused on every adapter,
  // so a model (or a shared link) builds everywhere or nowhere.
  const lanesLayout = normLayout('layernorm', d);
  const layout = variant === 'lanes' ? lanesLayout : null;
  const statShape = [...x.shape.slice(0, -1), 1];
  const y = g.tensor(x.shape, 'f32', `layernorm(${x.label})`);
  const mean = g.tensor(statShape, 'f32', `layernorm mean(${x.label})`);
  const rstd = g.tensor(statShape, 'f32', `layernorm rstd(${x.label})`);
  g.launch({
    label: layout ? 'layernorm forward' : 'layernorm forward (rows)',
    source: shaderSource(layout ? 'norm/layernorm_forward.wgsl' : 'norm/layernorm_rows_forward.wgsl'),
    entryPoint: 'main',
    constants: layout ? lanesConstants(layout) : { WG: NORM_ROWS_WG },
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
    workgroups: grid1d(rows / (layout ? layout.slots : NORM_ROWS_WG)),
  });
  // Saves: x, w (inputs), mean and rstd. The bias is not needed.
  g.apply('layernorm', [x, w, b], [y], ([dy], [dx, dw, db]) => {
    if (!dx && !dw && !db) return;
    const saved = { x, w, mean, rstd, dy: dy!, dx };
    // Weight and bias train together in practice; if only one does, the other's sum goes to a
    // scratch tensor rather than a second kernel variant.
    const params = dw || db ? { dw: dw ?? g.tensor([d], 'f32', 'layernorm dw (unused)'), db: db ?? g.tensor([d], 'f32', 'layernorm db (unused)') } : null;
    if (layout) recordLanesBackward(g, saved, params, layout);
    else recordRowsBackward(g, saved, params);
  });
  return { y, mean, rstd };
}

interface BackwardTensors {
  x: Tensor;
  w: Tensor;
  mean: Tensor;
  rstd: Tensor;
  dy: Tensor;
  dx: Tensor | null;
}

function lanesConstants(layout: NormLayout): Record<string, number> {
  return { WG: NORM_WG, LANES: layout.lanes, PER_THREAD: layout.perThread };
}

function recordLanesBackward(
  g: Graph,
  { x, w, mean, rstd, dy, dx }: BackwardTensors,
  params: { dw: Tensor; db: Tensor } | null,
  layout: NormLayout,
): void {
  const d = x.lastDim;
  const rows = x.size / d;
  const { iters, blocks, partialRows } = normBackwardBlocks(rows, layout);
  const partial = params ? g.tensor([partialRows, 2, d], 'f32', 'layernorm dw/db partials') : placeholder(g, 'layernorm dw/db partials');
  g.launch({
    label: 'layernorm backward',
    source: shaderSource('norm/layernorm_backward.wgsl'),
    entryPoint: 'main',
    constants: lanesConstants(layout),
    bindings: [
      bind(x),
      bind(w),
      bind(mean),
      bind(rstd),
      bind(dy),
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
  if (params) recordNormParamGrad(g, 'layernorm', partial, partialRows, d, params.dw, params.db);
}

function recordRowsBackward(g: Graph, { x, w, mean, rstd, dy, dx }: BackwardTensors, params: { dw: Tensor; db: Tensor } | null): void {
  const d = x.lastDim;
  const rows = x.size / d;
  const shape = packUniform([
    ['u32', rows],
    ['u32', d],
  ]);
  if (dx) {
    g.launch({
      label: 'layernorm backward dx (rows)',
      source: shaderSource('norm/layernorm_rows_backward.wgsl'),
      entryPoint: 'main',
      constants: { WG: NORM_ROWS_WG },
      bindings: [bind(x), bind(w), bind(mean), bind(rstd), bind(dy), bind(dx), { kind: 'uniform', data: shape }],
      workgroups: grid1d(rows / NORM_ROWS_WG),
    });
  }
  if (params) {
    g.launch({
      label: 'layernorm backward dw db (rows)',
      source: shaderSource('norm/layernorm_rows_param_grad.wgsl'),
      entryPoint: 'main',
      constants: { WG: NORM_ROWS_WG },
      bindings: [bind(x), bind(mean), bind(rstd), bind(dy), bind(params.dw), bind(params.db), { kind: 'uniform', data: shape }],
      workgroups: grid1d(d / NORM_ROWS_WG),
    });
  }
}

/** y = (x − mean) / sqrt(var + eps) ⊙ w + b over the last axis. x: [..., D] f32; w, b: [D]. */
export function layernorm(g: Graph, x: Tensor, w: Tensor, b: Tensor, eps = NORM_EPS, variant?: NormVariant): Tensor {
  return layernormWithStats(g, x, w, b, eps, variant).y;
}
