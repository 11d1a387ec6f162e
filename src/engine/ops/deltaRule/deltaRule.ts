// The (optionally gated) delta rule of DeltaNet and Gated DeltaNet (docs/protocol.md §4.9,
// docs/kernels.md "Delta rule"), per (batch, head) with state S ∈ ℝ^{dv×dk} from 0:
//   S_t = α_t S_{t−1}(I − β_t k_t k_tᵀ) + β_t v_t k_tᵀ,   o_t = scale · S_t q_t   (read after the update)
// α_t = exp(logAlpha_t) when a gate is given, else 1. q, k: [B, T, H, dk]; v: [B, T, H, dv];
// beta, logAlpha: [B, T, H]. Normalising q and k is the caller's.
// Forward: a sequential scan over t per (b, h) that stores the state at every chunk boundary.
// Backward: chunks in reverse, each recomputed from its boundary state, then the steps backward;
// gradients packed per row, then unpacked. Linear in T, parallel over B·H (and over the state's
// rows or columns in the barrier-free variant). Two kernel families of the same math
// (DeltaRuleVariant) share the stored states and the packed rows.

import type { KernelTarget } from '../../../config/kernelTarget.ts';
import { bind, type Graph } from '../../graph.ts';
import { grid1d } from '../../launch.ts';
import { shaderSource } from '../../shaderSource.ts';
import type { Tensor } from '../../tensor.ts';
import { packUniform } from '../../uniform.ts';

/** dv·dk: one 'elements' invocation per state element, a 'rows' row or column in registers (STATE_CAP in delta_rule_common.wgsl). */
export const DELTA_RULE_MAX_STATE = 256;
/** Longest chunk the backward's private history holds (MAX_CHUNK in delta_rule_backward.wgsl). */
export const DELTA_RULE_MAX_CHUNK = 32;
export const DELTA_RULE_DEFAULT_CHUNK = 16;

/**
 * 'elements': one workgroup per (b, h), one invocation per state element, the per-step row and
 * column sums in workgroup memory behind 2 (forward) or 3 (backward) barriers a step: GPUs.
 * 'rows': barrier-free, one invocation per state row (b, h, i) holding S[i, :] in registers; the
 * backward's sums over rows go to a second pass with one invocation per column (b, h, j): CPU
 * adapters, which run workgroups as coroutines where each barrier switches every invocation.
 */
export const DELTA_RULE_VARIANTS = ['elements', 'rows'] as const;
export type DeltaRuleVariant = (typeof DELTA_RULE_VARIANTS)[number];

export function deltaRuleVariantFor(target: KernelTarget): DeltaRuleVariant {
  return target === 'gpu' ? 'elements' : 'rows';
}

const SHADERS = {
  elements: { forward: 'scan/delta_rule_forward.wgsl', backward: ['scan/delta_rule_backward.wgsl'] },
  rows: { forward: 'scan/delta_rule_rows_forward.wgsl', backward: ['scan/delta_rule_rows_backward.wgsl', 'scan/delta_rule_rows_backward_columns.wgsl'] },
} as const satisfies Record<DeltaRuleVariant, { forward: string; backward: readonly string[] }>;
const SCATTER_SHADER = 'scan/delta_rule_backward_scatter.wgsl';

/** Every shader of both variants (the registry compiles and checks them all). */
export const DELTA_RULE_SHADERS = {
  forward: DELTA_RULE_VARIANTS.map((v) => SHADERS[v].forward),
  backward: [...DELTA_RULE_VARIANTS.flatMap((v) => SHADERS[v].backward), SCATTER_SHADER],
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
  /** Kernel family (default: deltaRuleVariantFor(g.target)). */
  variant?: DeltaRuleVariant;
}

const SCATTER_WG = 256;
/** Invocations per workgroup of the 'rows' kernels (one per state row or column). */
const ROWS_WG = 64;

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
  const state = dk * dv;
  const width = 2 * dk + dv + 2;
  const variant = opts.variant ?? deltaRuleVariantFor(g.target);
  const rows = variant === 'rows';
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
  const states = g.tensor([B * H, K, state], 'f32', 'delta rule chunk states');
  const o = g.tensor([B, T, H, dv], 'f32', `deltaRule(${v.label})`);
  // 'elements': a workgroup of dv·dk per (b, h); 'rows': ROWS_WG state rows (or columns) a workgroup.
  const WG = rows ? ROWS_WG : state;
  const perHead = grid1d(B * H);
  const perRow = grid1d((B * H * dv) / ROWS_WG);
  const perColumn = grid1d((B * H * dk) / ROWS_WG);

  g.launch({
    label: `delta rule forward (${variant})`,
    source: shaderSource(SHADERS[variant].forward),
    entryPoint: 'main',
    constants: { WG },
    bindings: [bind(q), bind(k), bind(v), bind(beta), bind(gate), bind(o), bind(states), uniformFor(0)],
    workgroups: rows ? perRow : perHead,
  });

  const inputs = logAlpha ? [q, k, v, beta, logAlpha] : [q, k, v, beta];
  g.apply('deltaRule', inputs, [o], ([dout], [dq, dk_, dv_, dBeta, dLogAlpha]) => {
    const packedRows = B * T * H * width;
    // 'rows' scratch past the packed rows (delta_rule_rows_common.wgsl): 4·dv floats per (b, t, h)
    // and one chunk of history per state row, i.e. 146 floats per (b, t, h) against the packed
    // rows' 50 at dk = dv = 16, T = 128 (per-row partials of dq and dk for a summing kernel: 544).
    const packed = g.tensor([rows ? packedRows + B * T * H * 4 * dv + B * H * state * chunk : packedRows], 'f32', 'delta rule packed gradients');
    g.launch({
      label: `delta rule backward (${variant})`,
      source: shaderSource(SHADERS[variant].backward[0]),
      entryPoint: 'main',
      constants: { WG },
      bindings: [bind(q), bind(k), bind(v), bind(beta), bind(gate), bind(states), bind(dout!), bind(packed), uniformFor(0)],
      workgroups: rows ? perRow : perHead,
    });
    if (rows) {
      g.launch({
        label: 'delta rule backward columns (rows)',
        source: shaderSource(SHADERS.rows.backward[1]),
        entryPoint: 'main',
        constants: { WG },
        bindings: [bind(q), bind(k), bind(beta), bind(gate), bind(states), bind(dout!), bind(packed), uniformFor(0)],
        workgroups: perColumn,
      });
    }
    const want = (dq ? 1 : 0) | (dk_ ? 2 : 0) | (dv_ ? 4 : 0) | (dBeta ? 8 : 0) | (dLogAlpha ? 16 : 0);
    if (want === 0) return;
    const unused = (label: string) => g.tensor([1], 'f32', `delta rule ${label} (unused)`);
    g.launch({
      label: 'delta rule backward scatter',
      source: shaderSource(SCATTER_SHADER),
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
      workgroups: grid1d(packedRows / SCATTER_WG),
    });
  });
  return o;
}
