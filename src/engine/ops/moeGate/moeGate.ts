// mad-lab MoeMlp's router gate (docs/protocol.md §4.1): per row of scores [N, E], every score strictly below
// the k-th largest is replaced by 0 (NOT −∞), then g = softmax over all E scores, so unselected
// experts still get e⁰/Z. Ties follow torch's `scores < topk(scores, k).values[..., -1:]`: a score
// is kept iff fewer than k scores are strictly greater, so every score equal to the k-th largest
// is kept (more than k experts may be selected on exact ties).
// Backward: through the softmax, then the mask (masked scores are constants: gradient 0).

import { bind, type Graph } from '../../graph.ts';
import { grid1d } from '../../launch.ts';
import { shaderSource } from '../../shaderSource.ts';
import type { Tensor } from '../../tensor.ts';
import { packUniform } from '../../uniform.ts';

export const MOE_GATE_SHADERS = {
  forward: 'moe/moe_gate_forward.wgsl',
  backward: 'moe/moe_gate_backward.wgsl',
} as const;

const WORKGROUP = 64;

/** scores: [..., E] → gate [..., E]; k = active experts (1 ≤ k ≤ E). */
export function moeGate(g: Graph, scores: Tensor, k: number): Tensor {
  if (scores.dtype !== 'f32') throw new Error(`moeGate: needs f32 scores, got ${scores}`);
  const e = scores.shape[scores.shape.length - 1]!;
  if (!Number.isInteger(k) || k < 1 || k > e) throw new Error(`moeGate: k must be an integer in [1, ${e}], got ${k}`);
  const rows = scores.size / e;
  const gate = g.tensor(scores.shape, 'f32', `moeGate(${scores.label})`);
  const params = packUniform([
    ['u32', rows],
    ['u32', e],
    ['u32', k],
  ]);
  const workgroups = grid1d(rows / WORKGROUP);
  const constants = { WG: WORKGROUP };
  g.launch({
    label: 'moeGate forward',
    source: shaderSource(MOE_GATE_SHADERS.forward),
    entryPoint: 'main',
    constants,
    bindings: [bind(scores), bind(gate), { kind: 'uniform', data: params }],
    workgroups,
  });
  g.apply('moeGate', [scores], [gate], ([dgate], [dscores]) => {
    if (!dscores) return;
    g.launch({
      label: 'moeGate backward',
      source: shaderSource(MOE_GATE_SHADERS.backward),
      entryPoint: 'main',
      constants,
      bindings: [bind(scores), bind(gate), bind(dgate!), bind(dscores), { kind: 'uniform', data: params }],
      workgroups,
    });
  });
  return gate;
}
