// RMSNorm over the last axis (MAD's default norm): y = x / sqrt(mean(x²) + eps) ⊙ w, with a
// learned weight w [D]. Forward: one dispatch, saving 1/rms per row. Backward, 'lanes' variant:
// one dispatch for dx and partial sums of dw (one row per row slot of each workgroup), one more
// to add the partials in a fixed order; 'rows' variant: one dispatch for dx (a row per
// invocation), one for dw (a column per invocation). Deterministic, no atomics, either way.

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

export const NORM_EPS = 1e-5;

export interface RmsNormResult {
  y: Tensor;
  /** 1 / sqrt(mean(x²) + eps) per row, [..., 1]: saved for backward. */
  rstd: Tensor;
}

/** RMSNorm with its saved statistics (tests read them). x: [..., D], w: [D]. */
export function rmsnormWithStats(g: Graph, x: Tensor, w: Tensor, eps = NORM_EPS, variant = normVariantFor(g.target)): RmsNormResult {
  if (x.dtype !== 'f32' || w.dtype !== 'f32') throw new Error(`rmsnorm: needs f32 tensors, got ${x} and ${w}`);
  const d = x.lastDim;
  assertShape(w, [d], 'rmsnorm weight');
  const rows = x.size / d;
  const y = g.tensor(x.shape, 'f32', `rmsnorm(${x.label})`);
  const rstd = g.tensor([...x.shape.slice(0, -1), 1], 'f32', `rmsnorm rstd(${x.label})`);
  // Checked for both variants: a width the 'lanes' kernels cannot hold is refused on every adapter,
  // so a model (or a shared link) builds everywhere or nowhere.
  const lanesLayout = normLayout('rmsnorm', d);
  const layout = variant === 'lanes' ? lanesLayout : null;
  g.launch({
    label: layout ? 'rmsnorm forward' : 'rmsnorm forward (rows)',
    source: shaderSource(layout ? 'norm/rmsnorm_forward.wgsl' : 'norm/rmsnorm_rows_forward.wgsl'),
    entryPoint: 'main',
    constants: layout ? lanesConstants(layout) : { WG: NORM_ROWS_WG },
    bindings: [
      bind(x),
      bind(w),
      bind(y),
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
  // Saves: x, w (inputs) and rstd.
  g.apply('rmsnorm', [x, w], [y], ([dy], [dx, dw]) => {
    const saved = { x, w, rstd, dy: dy!, dx, dw };
    if (layout) recordLanesBackward(g, saved, layout);
    else recordRowsBackward(g, saved);
  });
  return { y, rstd };
}

interface BackwardTensors {
  x: Tensor;
  w: Tensor;
  rstd: Tensor;
  dy: Tensor;
  dx: Tensor | null;
  dw: Tensor | null;
}

function lanesConstants(layout: NormLayout): Record<string, number> {
  return { WG: NORM_WG, LANES: layout.lanes, PER_THREAD: layout.perThread };
}

function recordLanesBackward(g: Graph, { x, w, rstd, dy, dx, dw }: BackwardTensors, layout: NormLayout): void {
  if (!dx && !dw) return;
  const d = x.lastDim;
  const rows = x.size / d;
  const { iters, blocks, partialRows } = normBackwardBlocks(rows, layout);
  const partial = dw ? g.tensor([partialRows, d], 'f32', 'rmsnorm dw partials') : placeholder(g, 'rmsnorm dw partials');
  g.launch({
    label: 'rmsnorm backward',
    source: shaderSource('norm/rmsnorm_backward.wgsl'),
    entryPoint: 'main',
    constants: lanesConstants(layout),
    bindings: [
      bind(x),
      bind(w),
      bind(rstd),
      bind(dy),
      bind(dx ?? placeholder(g, 'rmsnorm dx')),
      bind(partial),
      {
        kind: 'uniform',
        data: packUniform([
          ['u32', rows],
          ['u32', d],
          ['u32', iters],
          ['u32', dx ? 1 : 0],
          ['u32', dw ? 1 : 0],
        ]),
      },
    ],
    workgroups: grid1d(blocks),
  });
  if (dw) recordNormParamGrad(g, 'rmsnorm', partial, partialRows, d, dw, null);
}

function recordRowsBackward(g: Graph, { x, w, rstd, dy, dx, dw }: BackwardTensors): void {
  const d = x.lastDim;
  const rows = x.size / d;
  const shape = packUniform([
    ['u32', rows],
    ['u32', d],
  ]);
  if (dx) {
    g.launch({
      label: 'rmsnorm backward dx (rows)',
      source: shaderSource('norm/rmsnorm_rows_backward.wgsl'),
      entryPoint: 'main',
      constants: { WG: NORM_ROWS_WG },
      bindings: [bind(x), bind(w), bind(rstd), bind(dy), bind(dx), { kind: 'uniform', data: shape }],
      workgroups: grid1d(rows / NORM_ROWS_WG),
    });
  }
  if (dw) {
    g.launch({
      label: 'rmsnorm backward dw (rows)',
      source: shaderSource('norm/rmsnorm_rows_param_grad.wgsl'),
      entryPoint: 'main',
      constants: { WG: NORM_ROWS_WG },
      bindings: [bind(x), bind(rstd), bind(dy), bind(dw), { kind: 'uniform', data: shape }],
      workgroups: grid1d(d / NORM_ROWS_WG),
    });
  }
}

/** y = x / sqrt(mean(x²) + eps) ⊙ w over the last axis. x: [..., D] f32, w: [D] → [..., D]. */
export function rmsnorm(g: Graph, x: Tensor, w: Tensor, eps = NORM_EPS, variant?: NormVariant): Tensor {
  return rmsnormWithStats(g, x, w, eps, variant).y;
}
