// The (optionally gated) delta rule of DeltaNet and Gated DeltaNet (docs/protocol.md §4.9,
// docs/kernels.md "Delta rule"), per (batch, head) with state S ∈ ℝ^{dv×dk} from 0:
//   S_t = α_t S_{t−1}(I − β_t k_t k_tᵀ) + β_t v_t k_tᵀ,   o_t = scale · S_t q_t   (read after the update)
// α_t = exp(logAlpha_t) when a gate is given, else 1. q, k: [B, T, H, dk]; v: [B, T, H, dv];
// beta, logAlpha: [B, T, H]. Normalising q and k is the caller's.
// Forward: one workgroup per (b, h) (dv·dk invocations, one state element each), a sequential
// scan over t that stores the state at every chunk boundary. Backward: chunks in reverse, each
// recomputed from its boundary state, then the steps backward; gradients packed per row, then
// unpacked. Linear in T, parallel over B·H; one kernel family for both targets (the per-step
// reductions are dk-long sums in workgroup memory on either).

import { bind, type Graph } from '../../graph.ts';
import { grid1d } from '../../launch.ts';
import { shaderSource } from '../../shaderSource.ts';
import type { Tensor } from '../../tensor.ts';
import { packUniform } from '../../uniform.ts';

/** dv·dk: one invocation per state element (STATE_CAP in delta_rule_common.wgsl). */
export const DELTA_RULE_MAX_STATE = 256;
/** Longest chunk the backward's private history holds (MAX_CHUNK in delta_rule_backward.wgsl). */
export const DELTA_RULE_MAX_CHUNK = 32;
export const DELTA_RULE_DEFAULT_CHUNK = 16;

export const DELTA_RULE_SHADERS = {
  forward: ['scan/delta_rule_forward.wgsl'],
  backward: ['scan/delta_rule_backward.wgsl', 'scan/delta_rule_backward_scatter.wgsl'],
} as const;

export interface DeltaRuleInputs {
  q: Tensor;
  k: Tensor;
  v: Tensor;
  beta: Tensor;
  /** Gated DeltaNet's log α_t; absent for DeltaNet. */
  logAlpha?: Tensor;
}

export interface DeltaRuleOptions {
  /** Multiplies q (default 1). */
  scale?: number;
  /** Steps between stored states (default 16, at most 32). */
  chunk?: number;
}

const SCATTER_WG = 256;

export function deltaRule(g: Graph, inp: DeltaRuleInputs, opts: DeltaRuleOptions = {}): Tensor {
  const { q, k, v, beta, logAlpha } = inp;
  const check = (ok: boolean, what: string): void => {
    if (!ok) throw new Error(`deltaRule: ${what}`);
  };
  check(q.rank === 4, `q must be [B, T, H, dk], got ${q}`);
  const [B, T, H, dk] = q.shape as [number, number, number, number];
  const same = (t: Tensor, shape: number[]) => t.rank === shape.length && t.shape.every((d, i) => d === shape[i]);
  check(same(k, [B, T, H, dk]), `k must match q ${q}, got ${k}`);
  check(v.rank === 4 && same(v, [B, T, H, v.shape[3]!]), `v must be [${B}, ${T}, ${H}, dv], got ${v}`);
  const dv = v.shape[3]!;
  check(same(beta, [B, T, H]), `beta must be [${B}, ${T}, ${H}], got ${beta}`);
  check(!logAlpha || same(logAlpha, [B, T, H]), `logAlpha must be [${B}, ${T}, ${H}], got ${logAlpha}`);
  check(dk * dv <= DELTA_RULE_MAX_STATE, `state dv·dk = ${dv}·${dk} must be ≤ ${DELTA_RULE_MAX_STATE}`);
  for (const t of [q, k, v, beta, logAlpha]) check(!t || t.dtype === 'f32', `needs f32, got ${t}`);
  const chunk = opts.chunk ?? DELTA_RULE_DEFAULT_CHUNK;
  check(Number.isInteger(chunk) && chunk >= 1 && chunk <= DELTA_RULE_MAX_CHUNK, `chunk ${chunk} must be in 1…${DELTA_RULE_MAX_CHUNK}`);

  const K = Math.ceil(T / chunk);
  const WG = dk * dv;
  const width = 2 * dk + dv + 2;
  const uniformFor = (want: number) => ({
    kind: 'uniform' as const,
    data: packUniform([
      ['u32', B],
      ['u32', T],
      ['u32', H],
      ['u32', dk],
      ['u32', dv],
      ['u32', chunk],
      ['u32', K],
      ['u32', logAlpha ? 1 : 0],
      ['f32', opts.scale ?? 1],
      ['u32', width],
      ['u32', want],
      ['u32', 0],
    ]),
  });
  const gate = logAlpha ?? g.tensor([1], 'f32', 'delta rule log α (ungated)');
  const states = g.tensor([B * H, K, WG], 'f32', 'delta rule chunk states');
  const o = g.tensor([B, T, H, dv], 'f32', `deltaRule(${v.label})`);
  const perHead = grid1d(B * H);

  g.launch({
    label: 'delta rule forward',
    source: shaderSource('scan/delta_rule_forward.wgsl'),
    entryPoint: 'main',
    constants: { WG },
    bindings: [bind(q), bind(k), bind(v), bind(beta), bind(gate), bind(o), bind(states), uniformFor(0)],
    workgroups: perHead,
  });

  const inputs = logAlpha ? [q, k, v, beta, logAlpha] : [q, k, v, beta];
  g.apply('deltaRule', inputs, [o], ([dout], [dq, dk_, dv_, dBeta, dLogAlpha]) => {
    const packed = g.tensor([B * T * H, width], 'f32', 'delta rule packed gradients');
    g.launch({
      label: 'delta rule backward',
      source: shaderSource('scan/delta_rule_backward.wgsl'),
      entryPoint: 'main',
      constants: { WG },
      bindings: [bind(q), bind(k), bind(v), bind(beta), bind(gate), bind(states), bind(dout!), bind(packed), uniformFor(0)],
      workgroups: perHead,
    });
    const want = (dq ? 1 : 0) | (dk_ ? 2 : 0) | (dv_ ? 4 : 0) | (dBeta ? 8 : 0) | (dLogAlpha ? 16 : 0);
    if (want === 0) return;
    const unused = (label: string) => g.tensor([1], 'f32', `delta rule ${label} (unused)`);
    g.launch({
      label: 'delta rule backward scatter',
      source: shaderSource('scan/delta_rule_backward_scatter.wgsl'),
      entryPoint: 'main',
      constants: { WG: SCATTER_WG },
      bindings: [
        bind(packed),
        bind(dq ?? unused('dq')),
        bind(dk_ ?? unused('dk')),
        bind(dv_ ?? unused('dv')),
        bind(dBeta ?? unused('dβ')),
        bind(dLogAlpha ?? unused('d log α')),
        uniformFor(want),
      ],
      workgroups: grid1d((B * T * H * width) / SCATTER_WG),
    });
  });
  return o;
}
