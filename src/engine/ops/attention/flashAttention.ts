// Causal multi-head attention with GPT-NeoX rotary on q and k, as one fused flash-style kernel
// (docs/protocol.md §4.2; docs/kernels.md "Causal attention"). It reads the qkv projection [B, T, 3·H·d]
// strided (all q heads, then all k, then all v; head-major), rotates q and k on load, streams keys
// with an online softmax and writes O [B, T, H·d] (heads concatenated, ready for out_proj) and the
// per-row log-sum-exp. Backward recomputes the probabilities from the log-sum-exp in two passes
// without float atomics: dq query-major (it also writes Δ = rowsum(dO ∘ O)), then dk, dv
// key-major; gradients are rotated back by −θ and ACCUMULATED into dqkv. Two kernel families of
// the same math (see AttentionVariant): workgroup-memory tiles for GPUs, barrier-free rows for
// CPU adapters.

import type { KernelTarget } from '../../../config/kernelTarget.ts';
import { bind, type Graph } from '../../graph.ts';
import { grid1d } from '../../launch.ts';
import { shaderSource } from '../../shaderSource.ts';
import type { Tensor } from '../../tensor.ts';
import { packUniform } from '../../uniform.ts';
import { rotaryTableTensor } from '../rotary/rotary.ts';

export interface FlashAttentionOptions {
  heads: number;
  headDim: number;
  /**
   * Sliding window: query t sees keys t − window … t (flash-attn's window_size (window, ·) with
   * causal). null: plain causal attention.
   */
  window?: number | null;
  /** Rotary frequency base (rotary dimension = head dimension); 10000 in MAD. */
  rotaryBase?: number;
  /** Kernel family (default: attentionVariantFor(g.target)). */
  variant?: AttentionVariant;
}

/**
 * 'tiled': keys (queries in the dk/dv pass) stream through workgroup memory in tiles shared by
 * a block of rows × heads, rotated once per tile: what real GPUs want. 'rows': barrier-free, one
 * invocation per row reading its keys straight from memory: CPU adapters (SwiftShader, llvmpipe)
 * run workgroups as coroutines, where barriers are expensive and the tiled kernels also take
 * several times longer to compile. Both compute the same thing and pass the same checks.
 */
export const ATTENTION_VARIANTS = ['tiled', 'rows'] as const;
export type AttentionVariant = (typeof ATTENTION_VARIANTS)[number];

/** The kernel family for a target: tiles on GPUs, rows on CPU adapters. */
export function attentionVariantFor(target: KernelTarget): AttentionVariant {
  return target === 'gpu' ? 'tiled' : 'rows';
}

export const FLASH_ATTENTION_SHADERS = {
  tiled: {
    forward: 'attention/flash_attention_forward.wgsl',
    dq: 'attention/flash_attention_backward_dq.wgsl',
    dkv: 'attention/flash_attention_backward_dkv.wgsl',
  },
  rows: {
    forward: 'attention/flash_attention_rows_forward.wgsl',
    dq: 'attention/flash_attention_rows_backward_dq.wgsl',
    dkv: 'attention/flash_attention_rows_backward_dkv.wgsl',
  },
} as const satisfies Record<AttentionVariant, Record<'forward' | 'dq' | 'dkv', string>>;

/**
 * Largest supported head dimension (the largest checked): q, k and the output or gradient rows of
 * an invocation live in registers.
 */
export const MAX_HEAD_DIM = 128;
/** Invocations per workgroup (rounded down to a multiple of the heads per workgroup). */
const TARGET_WORKGROUP = 64;
/** Invocations per workgroup of the 'rows' kernels (one per (b, t, h) row). */
const ROWS_WORKGROUP = 64;
/** Workgroup memory a kernel may use: WebGPU's guaranteed 16 KiB. */
const WORKGROUP_BYTES = 16384;

/**
 * How the kernels split the work: HG heads per workgroup (the largest divisor of H with
 * HG·d ≤ 32 floats, so 16 heads of 8 give 4 heads × 16 rows, 1 head of 128 gives 64 rows),
 * RB = ⌊64 / HG⌋ rows per workgroup, and the tile lengths that fit 16 KiB of workgroup memory:
 * k and v rows for the forward and dq passes, q and dO rows plus two scalars for the dk/dv pass.
 */
export function attentionTiling(heads: number, headDim: number): { hg: number; rows: number; kvTile: number; queryTile: number } {
  let hg = 1;
  for (let c = 1; c <= Math.min(heads, 16); c++) if (heads % c === 0 && c * headDim <= 32) hg = c;
  const floats = WORKGROUP_BYTES / 4;
  return {
    hg,
    rows: Math.floor(TARGET_WORKGROUP / hg),
    kvTile: Math.max(1, Math.min(32, Math.floor(floats / (2 * hg * headDim)))),
    queryTile: Math.max(1, Math.min(32, Math.floor(floats / (hg * (2 * headDim + 2))))),
  };
}

/** The shader text with its size constants set (arrays need constant sizes). */
function sourceFor(path: string, sizes: Partial<Record<'HD' | 'HG' | 'KB', number>>): string {
  let text = shaderSource(path);
  for (const [name, value] of Object.entries(sizes)) {
    const pattern = new RegExp(`const ${name}: u32 = \\d+u;`);
    if (!pattern.test(text)) throw new Error(`flashAttention: ${path} lost its 'const ${name}' line`);
    text = text.replace(pattern, `const ${name}: u32 = ${value}u;`);
  }
  return text;
}

/** The saved statistics of one call, for tests: O and the log-sum-exp per (b, t, h). */
export interface FlashAttentionResult {
  output: Tensor;
  lse: Tensor;
}

/**
 * qkv: [B, T, 3·H·d] (or [B, T, 3, H, d]) f32 → O [B, T, H·d]. Softmax scale 1/√d, causal,
 * optional sliding window, rotary on q and k at positions 0…T−1.
 */
export function flashAttentionWithStats(g: Graph, qkv: Tensor, options: FlashAttentionOptions): FlashAttentionResult {
  const { heads, headDim, window = null, rotaryBase = 10000, variant = attentionVariantFor(g.target) } = options;
  if (qkv.dtype !== 'f32') throw new Error(`flashAttention: needs f32 qkv, got ${qkv}`);
  if (!Number.isInteger(heads) || heads < 1) throw new Error(`flashAttention: heads must be a positive integer, got ${heads}`);
  if (!Number.isInteger(headDim) || headDim < 2 || headDim % 2 !== 0 || headDim > MAX_HEAD_DIM) {
    throw new Error(`flashAttention: head dim must be even and ≤ ${MAX_HEAD_DIM} (rotary pairs its halves), got ${headDim}`);
  }
  if (window !== null && (!Number.isInteger(window) || window < 0)) throw new Error(`flashAttention: window must be an integer ≥ 0 or null, got ${window}`);
  if (!(rotaryBase > 0)) throw new Error(`flashAttention: rotary base must be positive, got ${rotaryBase}`);
  const width = heads * headDim;
  const shapeOk =
    (qkv.rank === 3 && qkv.shape[2] === 3 * width) ||
    (qkv.rank === 5 && qkv.shape[2] === 3 && qkv.shape[3] === heads && qkv.shape[4] === headDim);
  if (!shapeOk) throw new Error(`flashAttention: expected qkv [B, T, ${3 * width}] or [B, T, 3, ${heads}, ${headDim}], got ${qkv}`);
  const [batch, time] = qkv.shape as [number, number];
  const table = rotaryTableTensor(g, time, headDim, rotaryBase);
  const output = g.tensor([batch, time, width], 'f32', `attention(${qkv.label})`);
  const lse = g.tensor([batch, time, heads], 'f32', `attention.lse(${qkv.label})`);
  const tiled = variant === 'tiled';
  const tiling = attentionTiling(heads, headDim);
  const rows = batch * time * heads;
  const rowBlocks = Math.ceil(time / tiling.rows);
  const blocks = batch * (heads / tiling.hg) * rowBlocks;
  const params = packUniform([
    ['u32', time],
    ['u32', heads],
    ['u32', window === null ? time : Math.min(window, time)],
    ['f32', 1 / Math.sqrt(headDim)],
    ['u32', blocks],
    ['u32', rowBlocks],
    ['u32', rows],
  ]);
  const files = FLASH_ATTENTION_SHADERS[variant];
  const workgroups = tiled ? grid1d(blocks) : grid1d(rows / ROWS_WORKGROUP);
  const constants = { WG: tiled ? tiling.rows * tiling.hg : ROWS_WORKGROUP };
  const kvSizes = tiled ? { HD: headDim, HG: tiling.hg, KB: tiling.kvTile } : { HD: headDim };
  const querySizes = tiled ? { HD: headDim, HG: tiling.hg, KB: tiling.queryTile } : { HD: headDim };
  const tag = `${variant} H=${heads} d=${headDim}${window === null ? '' : ` window=${window}`}`;
  g.launch({
    label: `flash attention forward ${tag}`,
    source: sourceFor(files.forward, kvSizes),
    entryPoint: 'main',
    constants,
    bindings: [bind(qkv), bind(table), bind(output), bind(lse), { kind: 'uniform', data: params }],
    workgroups,
  });
  g.apply('flashAttention', [qkv], [output], ([dout], [dqkv]) => {
    if (!dqkv) return;
    const delta = g.tensor([batch, time, heads], 'f32', `attention.delta(${qkv.label})`);
    g.launch({
      label: `flash attention backward dq ${tag}`,
      source: sourceFor(files.dq, kvSizes),
      entryPoint: 'main',
      constants,
      bindings: [bind(qkv), bind(table), bind(output), bind(lse), bind(dout!), bind(delta), bind(dqkv), { kind: 'uniform', data: params }],
      workgroups,
    });
    g.launch({
      label: `flash attention backward dk dv ${tag}`,
      source: sourceFor(files.dkv, querySizes),
      entryPoint: 'main',
      constants,
      bindings: [bind(qkv), bind(table), bind(lse), bind(dout!), bind(delta), bind(dqkv), { kind: 'uniform', data: params }],
      workgroups,
    });
  });
  return { output, lse };
}

/** qkv [B, T, 3·H·d] → attention output [B, T, H·d] (see flashAttentionWithStats). */
export function flashAttention(g: Graph, qkv: Tensor, options: FlashAttentionOptions): Tensor {
  return flashAttentionWithStats(g, qkv, options).output;
}
