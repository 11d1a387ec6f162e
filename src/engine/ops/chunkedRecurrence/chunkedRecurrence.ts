// The chunked linear recurrence behind gated linear attention, the RWKV5/6 time mixers and
// linear attention (docs/protocol.md §4.5–§4.7):
//   S_t = diag(exp(lw_t))·S_{t−1} + k_t v_tᵀ        per (batch, head), S: [dk, dv], S_{−1} = 0
//   'gla':  o_t = (scale·q_t)ᵀ S_t                     (linear attention: lw = 0)
//   'rwkv': o_t = (scale·q_t)ᵀ (S_{t−1} + diag(u) k_t v_tᵀ)
// lw ≤ 0 is the log of the per-key-channel decay (GLA: logsigmoid(gk)/16; RWKV: −exp(w)).
// Chunks of 16 steps (shaders/scan/gla_common.wgsl): forward = a sequential pass over chunks
// that stores each chunk's entering state, then all chunks' outputs in parallel (intra-chunk
// masked matmul + inter-chunk term); backward = a reverse pass over chunks carrying dS, then
// every gradient per chunk in parallel. Decay factors are exp(b_t − b_s) of in-chunk cumulative
// log decays, t ≥ s, so always in (0, 1]. No float atomics: the RWKV bonus gradient is reduced
// from per-chunk partials in a fixed order. That is the 'chunks' family of the 'gpu' target; the
// 'rows' family (RecurrenceVariant) computes the same per step, barrier-free, for CPU adapters.

import type { KernelTarget } from '../../../config/kernelTarget.ts';
import { bind, type Graph } from '../../graph.ts';
import { grid1d } from '../../launch.ts';
import { shaderSource } from '../../shaderSource.ts';
import type { Tensor } from '../../tensor.ts';
import { packUniform } from '../../uniform.ts';

/**
 * 'chunks': workgroups per (b, h) and per chunk with q, k and the cumulative decays in workgroup
 * memory, a few barriers per chunk: GPUs. 'rows': barrier-free, one invocation per state row or
 * column looping over t (gla_rows_*.wgsl): CPU adapters, which run workgroups as coroutines where
 * each barrier switches every invocation.
 */
export const RECURRENCE_VARIANTS = ['chunks', 'rows'] as const;
export type RecurrenceVariant = (typeof RECURRENCE_VARIANTS)[number];

export function recurrenceVariantFor(target: KernelTarget): RecurrenceVariant {
  return target === 'gpu' ? 'chunks' : 'rows';
}

const SHADERS = {
  chunks: { forward: ['scan/gla_states_forward.wgsl', 'scan/gla_forward.wgsl'], backward: ['scan/gla_dstates_backward.wgsl', 'scan/gla_backward.wgsl'] },
  rows: { forward: ['scan/gla_rows_forward.wgsl'], backward: ['scan/gla_rows_backward.wgsl'] },
} as const satisfies Record<RecurrenceVariant, { forward: readonly string[]; backward: readonly string[] }>;
const SCATTER_SHADER = 'scan/gla_backward_scatter.wgsl';
const DU_SHADER = 'scan/gla_backward_du.wgsl';

/** Every shader of both variants (the registry compiles and checks them all). */
export const CHUNKED_RECURRENCE_SHADERS = {
  forward: RECURRENCE_VARIANTS.flatMap((v) => SHADERS[v].forward),
  backward: [...RECURRENCE_VARIANTS.flatMap((v) => SHADERS[v].backward), SCATTER_SHADER, DU_SHADER],
} as const;

/** Time steps per chunk (CH in gla_common.wgsl). */
export const RECURRENCE_CHUNK = 16;
/** Largest key head dim the workgroup (or 'rows' private) arrays hold (MAXK in gla_common.wgsl). */
export const RECURRENCE_MAX_DK = 128;

export type RecurrenceMode = 'gla' | 'rwkv';

export interface ChunkedRecurrenceArgs {
  mode: RecurrenceMode;
  /** [B, T, H, dk] */
  q: Tensor;
  /** [B, T, H, dk] */
  k: Tensor;
  /** [B, T, H, dv] */
  v: Tensor;
  /** [B, T, H, dk] log decay (≤ 0); omitted: no decay (linear attention). */
  logDecay?: Tensor;
  /** [H, dk] RWKV bonus; required for 'rwkv', refused for 'gla'. */
  u?: Tensor;
  /** q is multiplied by this (GLA: 1/√dk). Default 1. */
  scale?: number;
  /** Kernel family (default: recurrenceVariantFor(g.target)). */
  variant?: RecurrenceVariant;
}

/** Invocations per workgroup: 64 for small heads (mh layers: 16×16), 256 for wide ones, whose
 * sequential state passes (B·H workgroups) need more lanes each to fill a GPU. */
export function recurrenceWorkgroup(dk: number, dv: number): number {
  return dk * dv >= 1024 ? 256 : 64;
}

/** The shader with its workgroup (or private) arrays sized for key head dim dk (see gla_common.wgsl). */
function recurrenceSource(path: string, dk: number): string {
  const maxk = [16, 32, 64, RECURRENCE_MAX_DK].find((m) => dk <= m)!;
  const source = shaderSource(path);
  const declared = 'const MAXK: u32 = 16u;';
  if (!source.includes(declared)) throw new Error(`${path}: MAXK declaration not found`);
  return source.replace(declared, `const MAXK: u32 = ${maxk}u;`);
}
const ELEMENTWISE_WG = 256;
/** Invocations per workgroup of the 'rows' kernels (one state row or column each). */
const ROWS_WG = 64;

/** Returns o: [B, T, H, dv]. */
export function chunkedRecurrence(g: Graph, args: ChunkedRecurrenceArgs): Tensor {
  const { mode, q, k, v, scale = 1 } = args;
  if (q.rank !== 4) throw new Error(`chunkedRecurrence: q must be [B, T, H, dk], got ${q}`);
  const [B, T, H, dk] = q.shape as [number, number, number, number];
  const dv = v.lastDim;
  const same = (t: Tensor, d: number, what: string): void => {
    const want = [B, T, H, d];
    if (t.rank !== 4 || t.shape.some((s, i) => s !== want[i])) {
      throw new Error(`chunkedRecurrence: ${what} must be [${want.join(', ')}], got ${t}`);
    }
  };
  same(k, dk, 'k');
  same(v, dv, 'v');
  if (args.logDecay) same(args.logDecay, dk, 'logDecay');
  if (dk > RECURRENCE_MAX_DK) throw new Error(`chunkedRecurrence: key head dim ${dk} exceeds ${RECURRENCE_MAX_DK}`);
  if (mode === 'rwkv') {
    if (!args.u || args.u.rank !== 2 || args.u.shape[0] !== H || args.u.shape[1] !== dk) {
      throw new Error(`chunkedRecurrence: 'rwkv' needs u of shape [${H}, ${dk}], got ${args.u ?? 'none'}`);
    }
  } else if (args.u) {
    throw new Error(`chunkedRecurrence: 'gla' takes no bonus u`);
  }
  const variant = args.variant ?? recurrenceVariantFor(g.target);
  const rows = variant === 'rows';
  const nc = Math.ceil(T / RECURRENCE_CHUNK);
  const WG = rows ? ROWS_WG : recurrenceWorkgroup(dk, dv);
  const lw = args.logDecay ?? g.input([B, T, H, dk], 'f32', 'zeroLogDecay', new Float32Array(B * T * H * dk));
  const u = args.u ?? g.input([H, dk], 'f32', 'noBonus', new Float32Array(H * dk));
  const params = packUniform([
    ['u32', B],
    ['u32', T],
    ['u32', H],
    ['u32', dk],
    ['u32', dv],
    ['u32', nc],
    ['f32', scale],
    ['u32', mode === 'gla' ? 0 : 1],
  ]);
  const uniform = { kind: 'uniform' as const, data: params };
  const o = g.tensor([B, T, H, dv], 'f32', `${mode}(${q.label})`);
  // 'rows' keeps no chunk states: its backward recomputes S per row.
  const states = rows ? null : g.tensor([B, H, nc, 2, dk, dv], 'f32', `${mode}States`);
  const perChunk = grid1d(B * H * nc);
  if (states) {
    g.launch({
      label: `${mode} recurrence states`,
      source: recurrenceSource(SHADERS.chunks.forward[0], dk),
      entryPoint: 'main',
      constants: { WG },
      bindings: [bind(k), bind(v), bind(lw), bind(states), uniform],
      workgroups: [B * H, 1, 1],
    });
    g.launch({
      label: `${mode} recurrence forward`,
      source: recurrenceSource(SHADERS.chunks.forward[1], dk),
      entryPoint: 'main',
      constants: { WG },
      bindings: [bind(q), bind(k), bind(v), bind(lw), bind(u), bind(states), bind(o), uniform],
      workgroups: perChunk,
    });
  } else {
    g.launch({
      label: `${mode} recurrence forward (rows)`,
      source: recurrenceSource(SHADERS.rows.forward[0], dk),
      entryPoint: 'main',
      constants: { WG },
      bindings: [bind(q), bind(k), bind(v), bind(lw), bind(u), bind(o), uniform],
      workgroups: grid1d((B * H * dv) / ROWS_WG),
    });
  }
  const inputs = [q, k, v, lw, u];
  g.apply(`${mode}Recurrence`, inputs, [o], ([dout], grads) => {
    const [dq, dk_, dv_, dlw, du] = grads;
    if (!dq && !dk_ && !dv_ && !dlw && !du) return;
    const nk = B * T * H * dk;
    const nv = B * T * H * dv;
    // Both: the packed dq, dk, dlw and dv, then du partials per (b, h, chunk) ('chunks') or per
    // (b, h) ('rows', which adds one state row per (b, h, i), i.e. B·H·dk·dv floats, not per step).
    const scratch = g.tensor([3 * nk + nv + (states ? B * H * nc * dk : B * H * dk + B * H * dk * dv)], 'f32', `${mode}GradScratch`);
    if (states) {
      g.launch({
        label: `${mode} recurrence dstates`,
        source: recurrenceSource(SHADERS.chunks.backward[0], dk),
        entryPoint: 'main',
        constants: { WG },
        bindings: [bind(q), bind(lw), bind(dout!), bind(states), uniform],
        workgroups: [B * H, 1, 1],
      });
      g.launch({
        label: `${mode} recurrence backward`,
        source: recurrenceSource(SHADERS.chunks.backward[1], dk),
        entryPoint: 'main',
        constants: { WG },
        bindings: [bind(q), bind(k), bind(v), bind(lw), bind(u), bind(dout!), bind(states), bind(scratch), uniform],
        workgroups: perChunk,
      });
    } else {
      g.launch({
        label: `${mode} recurrence backward (rows)`,
        source: recurrenceSource(SHADERS.rows.backward[0], dk),
        entryPoint: 'main',
        constants: { WG },
        bindings: [bind(q), bind(k), bind(v), bind(lw), bind(u), bind(dout!), bind(scratch), uniform],
        workgroups: grid1d((B * H * (dk + dv)) / ROWS_WG),
      });
    }
    const sink = (t: Tensor | null, shape: number[], label: string): Tensor => t ?? g.tensor(shape, 'f32', label);
    g.launch({
      label: `${mode} recurrence scatter`,
      source: shaderSource(SCATTER_SHADER),
      entryPoint: 'main',
      constants: { WG: ELEMENTWISE_WG },
      bindings: [
        bind(scratch),
        bind(sink(dq, [B, T, H, dk], 'unusedDq')),
        bind(sink(dk_, [B, T, H, dk], 'unusedDk')),
        bind(sink(dlw, [B, T, H, dk], 'unusedDlw')),
        bind(sink(dv_, [B, T, H, dv], 'unusedDv')),
        {
          kind: 'uniform',
          data: packUniform([
            ['u32', nk],
            ['u32', nv],
            ['u32', dk],
          ]),
        },
      ],
      workgroups: grid1d(Math.max(nk, nv) / ELEMENTWISE_WG),
    });
    if (mode === 'rwkv' && du) {
      g.launch({
        label: `${mode} recurrence du`,
        source: shaderSource(DU_SHADER),
        entryPoint: 'main',
        constants: { WG: 64 },
        bindings: [
          bind(scratch),
          bind(du),
          {
            kind: 'uniform',
            data: packUniform([
              ['u32', B],
              ['u32', H],
              ['u32', states ? nc : 1],
              ['u32', dk],
              ['u32', 3 * nk + nv],
            ]),
          },
        ],
        workgroups: grid1d((H * dk) / 64),
      });
    }
  });
  return o;
}
