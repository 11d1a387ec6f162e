// Linear attention's normaliser (docs/protocol.md §4.5): y = num / (den + eps) with den broadcast over the
// last axis. num: [..., DV], den: [..., 1] → y: [..., DV]. Forward one elementwise dispatch;
// backward one dispatch, one invocation per row (dden sums that row's DV terms: no atomics).

import { bind, type Graph } from '../../graph.ts';
import { grid1d } from '../../launch.ts';
import { shaderSource } from '../../shaderSource.ts';
import type { Tensor } from '../../tensor.ts';
import { packUniform } from '../../uniform.ts';

export const LINEAR_ATTENTION_NORM_SHADERS = {
  forward: 'scan/linear_attention_normalize_forward.wgsl',
  backward: 'scan/linear_attention_normalize_backward.wgsl',
} as const;

/** mad-lab's eps (LinearAttention(eps=1e-12)). */
export const LINEAR_ATTENTION_EPS = 1e-12;

export function linearAttentionNorm(g: Graph, num: Tensor, den: Tensor, eps = LINEAR_ATTENTION_EPS): Tensor {
  const dv = num.lastDim;
  const rows = num.size / dv;
  if (den.size !== rows || den.lastDim !== 1) throw new Error(`linearAttentionNorm: den must be [..., 1] with ${rows} rows, got ${den}`);
  const y = g.tensor(num.shape, 'f32', `normalized(${num.label})`);
  g.launch({
    label: 'linearAttentionNorm forward',
    source: shaderSource(LINEAR_ATTENTION_NORM_SHADERS.forward),
    entryPoint: 'main',
    constants: { WG: 256 },
    bindings: [bind(num), bind(den), bind(y), { kind: 'uniform', data: packUniform([['u32', num.size], ['u32', dv], ['f32', eps]]) }],
    workgroups: grid1d(num.size / 256),
  });
  g.apply('linearAttentionNorm', [num, den], [y], ([dy], [dnum, dden]) => {
    if (!dnum && !dden) return;
    g.launch({
      label: 'linearAttentionNorm backward',
      source: shaderSource(LINEAR_ATTENTION_NORM_SHADERS.backward),
      entryPoint: 'main',
      constants: { WG: 64 },
      bindings: [
        bind(num),
        bind(den),
        bind(dy!),
        bind(dnum ?? g.tensor(num.shape, 'f32', 'unused dnum')),
        bind(dden ?? g.tensor(den.shape, 'f32', 'unused dden')),
        { kind: 'uniform', data: packUniform([['u32', rows], ['u32', dv], ['f32', eps]]) },
      ],
      workgroups: grid1d(rows / 64),
    });
  });
  return y;
}
