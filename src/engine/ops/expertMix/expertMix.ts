// The expert-weighted sum of mad-lab MoeMlp (docs/protocol.md §4.1): z [..., D·E] holds every expert's output
// with channel index c·E + e (expert axis fastest), gate [..., E]:
//   y[..., c] = Σ_e z[..., c·E + e] · gate[..., e]
// One fused dispatch forward; backward: dz = dy ⊗ gate (one dispatch) and dgate = Σ_c dy · z
// (one dispatch), both accumulating.

import { bind, type Graph } from '../../graph.ts';
import { grid1d } from '../../launch.ts';
import { shaderSource } from '../../shaderSource.ts';
import type { Tensor } from '../../tensor.ts';
import { packUniform } from '../../uniform.ts';

export const EXPERT_MIX_SHADERS = {
  forward: 'moe/expert_mix_forward.wgsl',
  backward: 'moe/expert_mix_backward.wgsl',
} as const;

const WORKGROUP = 256;

/** z: [..., D·E], gate: [..., E] (same leading dims) → y: [..., D]. */
export function expertMix(g: Graph, z: Tensor, gate: Tensor): Tensor {
  if (z.dtype !== 'f32' || gate.dtype !== 'f32') throw new Error(`expertMix: needs f32 inputs, got ${z}, ${gate}`);
  const e = gate.shape[gate.shape.length - 1]!;
  const de = z.shape[z.shape.length - 1]!;
  const lead = z.shape.slice(0, -1);
  if (de % e !== 0 || lead.join(',') !== gate.shape.slice(0, -1).join(',')) {
    throw new Error(`expertMix: z ${z} and gate ${gate} do not match ([..., D·E] and [..., E])`);
  }
  const d = de / e;
  const rows = z.size / de;
  const y = g.tensor([...lead, d], 'f32', `expertMix(${z.label})`);
  const params = packUniform([
    ['u32', rows],
    ['u32', d],
    ['u32', e],
  ]);
  const constants = { WG: WORKGROUP };
  g.launch({
    label: 'expertMix forward',
    source: shaderSource(EXPERT_MIX_SHADERS.forward),
    entryPoint: 'main',
    constants,
    bindings: [bind(z), bind(gate), bind(y), { kind: 'uniform', data: params }],
    workgroups: grid1d((rows * d) / WORKGROUP),
  });
  g.apply('expertMix', [z, gate], [y], ([dy], [dz, dgate]) => {
    const source = shaderSource(EXPERT_MIX_SHADERS.backward);
    if (dz) {
      g.launch({
        label: 'expertMix backward dz',
        source,
        entryPoint: 'dz',
        constants,
        bindings: [bind(gate), bind(dy!), bind(dz), { kind: 'uniform', data: params }],
        workgroups: grid1d(z.size / WORKGROUP),
      });
    }
    if (dgate) {
      g.launch({
        label: 'expertMix backward dgate',
        source,
        entryPoint: 'dgate',
        constants,
        bindings: [bind(z), bind(dy!), bind(dgate), { kind: 'uniform', data: params }],
        workgroups: grid1d(gate.size / WORKGROUP),
      });
    }
  });
  return y;
}
