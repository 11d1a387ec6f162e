// Depthwise causal Conv1d over time — the short convolutions of Hyena (K = 3) and Mamba (K = 4):
//   y[b,t,c] = bias[c] + Σ_{j=0}^{K−1} w[c,j] · x[b, t−(K−1)+j, c]   (x = 0 before t = 0).
// x: [B, T, C] (any leading shape; the second-to-last axis is time), weight: [C, K] (PyTorch's
// Conv1d weight [C, 1, K] without the middle axis), bias: [C] or absent.
// Backward: dx by a gather over the K later outputs; dw and db by a deterministic two-stage
// reduction over B·T (fixed-size row blocks, then a fixed-order sum of the blocks).

import { bind, type Graph } from '../../graph.ts';
import { grid1d } from '../../launch.ts';
import { shaderSource } from '../../shaderSource.ts';
import type { Tensor } from '../../tensor.ts';
import { packUniform } from '../../uniform.ts';

const WORKGROUP = 256;
const FINAL_WORKGROUP = 64;
/** Rows (b, t) each partial sum of the parameter gradients covers. */
export const CONV_ROWS_PER_PART = 256;

export function causalConv1d(g: Graph, x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  if (x.rank < 2) throw new Error(`causalConv1d: x must be [..., T, C], got ${x}`);
  const C = x.lastDim;
  const T = x.shape[x.rank - 2]!;
  const rows = x.size / C;
  if (weight.rank !== 2 || weight.shape[0] !== C) throw new Error(`causalConv1d: weight must be [${C}, K], got ${weight}`);
  const K = weight.shape[1]!;
  if (bias && (bias.rank !== 1 || bias.shape[0] !== C)) throw new Error(`causalConv1d: bias must be [${C}], got ${bias}`);
  for (const t of [x, weight, bias]) if (t && t.dtype !== 'f32') throw new Error(`causalConv1d: needs f32, got ${t}`);

  const y = g.tensor(x.shape, 'f32', `conv(${x.label})`);
  const biasT = bias ?? g.tensor([1], 'f32', 'conv bias (unused)');
  const n = x.size;
  g.launch({
    label: 'causal conv forward',
    source: shaderSource('conv/causal_conv_forward.wgsl'),
    entryPoint: 'main',
    constants: { WG: WORKGROUP },
    bindings: [
      bind(x),
      bind(weight),
      bind(biasT),
      bind(y),
      {
        kind: 'uniform',
        data: packUniform([
          ['u32', n],
          ['u32', T],
          ['u32', C],
          ['u32', K],
          ['u32', bias ? 1 : 0],
        ]),
      },
    ],
    workgroups: grid1d(n / WORKGROUP),
  });

  const inputs = bias ? [x, weight, bias] : [x, weight];
  g.apply('causalConv1d', inputs, [y], ([dy], [dx, dw, db]) => {
    if (dx) {
      g.launch({
        label: 'causal conv backward dx',
        source: shaderSource('conv/causal_conv_backward.wgsl'),
        entryPoint: 'main',
        constants: { WG: WORKGROUP },
        bindings: [
          bind(weight),
          bind(dy!),
          bind(dx),
          {
            kind: 'uniform',
            data: packUniform([
              ['u32', n],
              ['u32', T],
              ['u32', C],
              ['u32', K],
            ]),
          },
        ],
        workgroups: grid1d(n / WORKGROUP),
      });
    }
    if (dw || db) {
      const parts = Math.ceil(rows / CONV_ROWS_PER_PART);
      const width = C * (K + 1);
      const partial = g.tensor([parts, width], 'f32', 'conv param grad partials');
      g.launch({
        label: 'causal conv backward params',
        source: shaderSource('conv/causal_conv_backward_params.wgsl'),
        entryPoint: 'main',
        constants: { WG: WORKGROUP },
        bindings: [
          bind(x),
          bind(dy!),
          bind(partial),
          {
            kind: 'uniform',
            data: packUniform([
              ['u32', rows],
              ['u32', T],
              ['u32', C],
              ['u32', K],
              ['u32', CONV_ROWS_PER_PART],
              ['u32', parts],
            ]),
          },
        ],
        workgroups: grid1d((parts * width) / WORKGROUP),
      });
      g.launch({
        label: 'causal conv backward params final',
        source: shaderSource('conv/causal_conv_backward_params_final.wgsl'),
        entryPoint: 'main',
        constants: { WG: FINAL_WORKGROUP },
        bindings: [
          bind(partial),
          bind(dw ?? g.tensor([C, K], 'f32', 'conv dw (unused)')),
          bind(db ?? g.tensor([1], 'f32', 'conv db (unused)')),
          {
            kind: 'uniform',
            data: packUniform([
              ['u32', parts],
              ['u32', C],
              ['u32', K],
              ['u32', db ? 1 : 0],
            ]),
          },
        ],
        workgroups: grid1d(width / FINAL_WORKGROUP),
      });
    }
  });
  return y;
}
