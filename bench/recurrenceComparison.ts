// The fused recurrence kernels of delta-net, gated-delta-net (deltaRule) and mamba2 (mamba2Scan)
// against the naive formulation of the same recurrence built from existing ops, forward +
// backward through the engine's autodiff at the layers' sizes, with the two forward outputs
// compared on the same inputs. docs/kernels.md §3.1 and §4.1 cite these rows as the reason
// for the dedicated kernels.
//   delta rule, naive: the per-token recurrence unrolled over T, batched over B·H:
//     w = S k, u = v − α w, S = α S + β u kᵀ, o = S (c·q)   (batched matmul, broadcast mul/sub/add)
//   mamba2, naive: Mamba-1's selective scan with Δ, A_log and D broadcast per head
//     (two broadcast multiplies and an add; the binary op's reduction sums their gradients back).

import type { EngineGpu } from '../src/engine/compile.ts';
import { Graph } from '../src/engine/graph.ts';
import { add, mul, sub } from '../src/engine/ops/binary/binary.ts';
import { deltaRuleCaseData, type DeltaRuleCase } from '../src/engine/ops/deltaRule/checks.ts';
import { deltaRule, type DeltaRuleInputs } from '../src/engine/ops/deltaRule/deltaRule.ts';
import { mamba2CaseData, type Mamba2Case } from '../src/engine/ops/mamba2Scan/checks.ts';
import { mamba2Scan, type Mamba2ScanInputs } from '../src/engine/ops/mamba2Scan/mamba2Scan.ts';
import type { Tolerance } from '../src/engine/ops/kernelCheck.ts';
import { matmul } from '../src/engine/ops/matmul/matmul.ts';
import { selectPosition } from '../src/engine/ops/selectPosition/selectPosition.ts';
import { selectiveScan } from '../src/engine/ops/selectiveScan/selectiveScan.ts';
import { sliceLastAxis } from '../src/engine/ops/slice/slice.ts';
import { unary } from '../src/engine/ops/unary/unary.ts';
import type { Tensor } from '../src/engine/tensor.ts';
import { compareArrays } from '../src/engine/testing/allclose.ts';
import { mamba2Dims } from '../src/layers/mamba/mamba2.ts';
import { deltaNetShape } from '../src/layers/recurrent/deltaNet.ts';
import { resolveLayerConfig } from '../src/layers/registry.ts';
import { timeForwardBackward } from './forwardBackwardTiming.ts';

export const RECURRENCE_LAYERS = ['delta-net', 'gated-delta-net', 'mamba2'] as const;
export type RecurrenceLayer = (typeof RECURRENCE_LAYERS)[number];

/**
 * Longest T the naive delta rule is traced at: unrolled, it records 26 (ungated) to 36 (gated)
 * dispatches per token, forward and backward, each with its own bind group and uniforms, so
 * T = 1024 would be a 30,000-dispatch submit.
 */
export const NAIVE_DELTA_RULE_MAX_T = 512;

/**
 * Naive against fused forward: both f32, associated differently (matmuls vs the workgroup's sums;
 * Mamba-1's chunked scan vs Mamba-2's), over up to hundreds of steps.
 */
export const RECURRENCE_AGREEMENT: Tolerance = { atol: 1e-4, rtol: 1e-4 };

export type RecurrenceSizes =
  | { op: 'deltaRule'; gated: boolean; heads: number; dk: number; dv: number }
  | { op: 'mamba2Scan'; heads: number; headdim: number; state: number; groups: number };

export interface RecurrenceComparison {
  layer: string;
  sizes: RecurrenceSizes;
  batch: number;
  seqLen: number;
  fusedMs: number;
  naiveMs: number;
  fusedDispatches: number;
  naiveDispatches: number;
  /** Largest |naive − fused| over the forward output. */
  maxAbsDiff: number;
  agrees: boolean;
}

export interface SkippedComparison {
  layer: string;
  batch: number;
  seqLen: number;
  reason: string;
}

const DIM = 128;

/** The recurrence's sizes in the registered layer at d = 128 (its yml defaults). */
export function layerRecurrenceSizes(layer: RecurrenceLayer): RecurrenceSizes {
  const config = resolveLayerConfig(layer);
  if (layer === 'mamba2') {
    const { heads, headdim, state, groups } = mamba2Dims(config, DIM);
    return { op: 'mamba2Scan', heads, headdim, state, groups };
  }
  const { heads, dk, dv } = deltaNetShape(layer, config);
  return { op: 'deltaRule', gated: layer === 'gated-delta-net', heads, dk, dv };
}

export function describeSizes(s: RecurrenceSizes): string {
  return s.op === 'deltaRule' ? `H ${s.heads}, d_k ${s.dk}, d_v ${s.dv}` : `H ${s.heads}, P ${s.headdim}, N ${s.state}`;
}

/** Why a comparison is not run at this T, or null. */
export function comparisonSkipReason(s: RecurrenceSizes, seqLen: number): string | null {
  if (s.op === 'deltaRule' && seqLen > NAIVE_DELTA_RULE_MAX_T) {
    return `the naive delta rule is unrolled over T (26–36 dispatches per token); traced only up to T = ${NAIVE_DELTA_RULE_MAX_T}`;
  }
  if (s.op === 'mamba2Scan' && s.groups !== 1) return 'the selective scan reads one B/C group for all channels; the layer has several';
  return null;
}

// ---- delta rule ---------------------------------------------------------------------------

function deltaRuleInputs(g: Graph, c: DeltaRuleCase, data: ReturnType<typeof deltaRuleCaseData>): DeltaRuleInputs {
  const rows = [c.B, c.T, c.H];
  const input = (shape: number[], values: Float32Array, label: string): Tensor => {
    const t = g.input(shape, 'f32', label, values);
    g.markTrainable(t);
    return t;
  };
  return {
    q: input([...rows, c.dk], data.q.f32, 'q'),
    k: input([...rows, c.dk], data.k.f32, 'k'),
    v: input([...rows, c.dv], data.v.f32, 'v'),
    beta: input(rows, data.beta.f32, 'β'),
    ...(c.gated ? { logAlpha: input(rows, data.logAlpha.f32, 'log α') } : {}),
  };
}

/**
 * The per-token delta rule from existing ops. Returns o_t, [B·H, d_v, 1] (= [B, H, d_v]), for
 * every t, and their sum, the one tensor the upstream gradient seeds (every o_t gets it).
 */
export function naiveDeltaRule(g: Graph, inp: DeltaRuleInputs, scale: number): { outputs: Tensor[]; sum: Tensor } {
  const [B, T, H, dk] = inp.q.shape as [number, number, number, number];
  const dv = inp.v.shape[3]!;
  const BH = B * H;
  // Column vectors [B·H, width, 1] of token t: one selectPosition of the [B, T, H·width] rows.
  const token = (x: Tensor, t: number, width: number): Tensor => g.view(selectPosition(g, g.view(x, [B, T, H * width]), t), [BH, width, 1]);
  const scaledQ = unary(g, 'scale', inp.q, scale);
  const outputs: Tensor[] = [];
  let S: Tensor | null = null; // [B·H, d_v, d_k]; S_{−1} = 0
  let sum: Tensor | null = null;
  for (let t = 0; t < T; t++) {
    const k = token(inp.k, t, dk);
    const v = token(inp.v, t, dv);
    const beta = token(inp.beta, t, 1);
    const alpha = inp.logAlpha ? unary(g, 'exp', token(inp.logAlpha, t, 1)) : null;
    let u = v;
    if (S) {
      const w = matmul(g, S, k);
      u = sub(g, v, alpha ? mul(g, w, alpha) : w);
    }
    const update = matmul(g, mul(g, u, beta), k, { transposeB: true }); // β u kᵀ
    S = S ? add(g, alpha ? mul(g, S, alpha) : S, update) : update;
    const o = matmul(g, S, token(scaledQ, t, dk));
    outputs.push(o);
    sum = sum ? add(g, sum, o) : o;
  }
  return { outputs, sum: sum! };
}

async function compareDeltaRule(gpu: EngineGpu, s: Extract<RecurrenceSizes, { op: 'deltaRule' }>, batch: number, seqLen: number, reps: number) {
  const c: DeltaRuleCase = { B: batch, T: seqLen, H: s.heads, dk: s.dk, dv: s.dv, gated: s.gated, chunk: 16, scale: 1 / Math.sqrt(s.dk) };
  const data = deltaRuleCaseData(c, 21);
  const fusedGraph = new Graph(gpu.target);
  const fusedOut = deltaRule(fusedGraph, deltaRuleInputs(fusedGraph, c, data), { scale: c.scale });
  const fused = await timeForwardBackward(gpu, fusedGraph, fusedOut, reps, [fusedOut]);
  const naiveGraph = new Graph(gpu.target);
  const { outputs, sum } = naiveDeltaRule(naiveGraph, deltaRuleInputs(naiveGraph, c, data), c.scale);
  const naive = await timeForwardBackward(gpu, naiveGraph, sum, reps, outputs);
  // Per-token [B, H, d_v] blocks into the fused layout [B, T, H, d_v].
  const block = s.heads * s.dv;
  const naiveOut = new Float32Array(batch * seqLen * block);
  naive.values.forEach((o, t) => {
    for (let b = 0; b < batch; b++) naiveOut.set(o.subarray(b * block, (b + 1) * block), (b * seqLen + t) * block);
  });
  return { fused, naive, fusedOut: fused.values[0]!, naiveOut };
}

// ---- mamba2 -------------------------------------------------------------------------------

function mamba2Inputs(g: Graph, c: Mamba2Case, data: ReturnType<typeof mamba2CaseData>): Mamba2ScanInputs {
  const input = (shape: number[], values: Float32Array, label: string): Tensor => {
    const t = g.input(shape, 'f32', label, values);
    g.markTrainable(t);
    return t;
  };
  return {
    xbc: input([c.B, c.T, c.H * c.P + 2 * c.G * c.N], data.xbc.f32, 'xbc'),
    delta: input([c.B, c.T, c.H], data.delta.f32, 'Δ'),
    aLog: input([c.H], data.aLog.f32, 'A_log'),
    d: input([c.H], data.d.f32, 'D'),
  };
}

/** Mamba-2's scan as Mamba-1's selective scan with Δ, A_log and D repeated over each head's P channels (one B/C group). */
export function naiveMamba2Scan(g: Graph, inp: Mamba2ScanInputs, headdim: number, state: number): Tensor {
  const [B, T, H] = inp.delta.shape as [number, number, number];
  const C = H * headdim;
  const perChannel = (shape: number[], value: number, label: string) => g.input(shape, 'f32', label, new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(value));
  const delta = g.view(mul(g, g.view(inp.delta, [B, T, H, 1]), perChannel([headdim], 1, 'ones[P]')), [B, T, C]);
  const aLog = g.view(add(g, g.view(inp.aLog, [H, 1, 1]), perChannel([headdim, state], 0, 'zeros[P, N]')), [C, state]);
  const d = g.view(mul(g, g.view(inp.d, [H, 1]), perChannel([headdim], 1, 'ones[P]')), [C]);
  const x = sliceLastAxis(g, inp.xbc, 0, C);
  return selectiveScan(g, { x, delta, bc: inp.xbc, bOffset: C, cOffset: C + state, aLog, d });
}

async function compareMamba2(gpu: EngineGpu, s: Extract<RecurrenceSizes, { op: 'mamba2Scan' }>, batch: number, seqLen: number, reps: number) {
  const c: Mamba2Case = { B: batch, T: seqLen, H: s.heads, P: s.headdim, N: s.state, G: s.groups, chunk: 16 };
  const data = mamba2CaseData(c, 21);
  const dims = { headdim: s.headdim, state: s.state, groups: s.groups };
  const fusedGraph = new Graph(gpu.target);
  const fusedOut = mamba2Scan(fusedGraph, mamba2Inputs(fusedGraph, c, data), dims);
  const fused = await timeForwardBackward(gpu, fusedGraph, fusedOut, reps, [fusedOut]);
  const naiveGraph = new Graph(gpu.target);
  const naiveOut = naiveMamba2Scan(naiveGraph, mamba2Inputs(naiveGraph, c, data), s.headdim, s.state);
  const naive = await timeForwardBackward(gpu, naiveGraph, naiveOut, reps, [naiveOut]);
  return { fused, naive, fusedOut: fused.values[0]!, naiveOut: naive.values[0]! };
}

// ---- both ---------------------------------------------------------------------------------

/** Times fused and naive forward + backward on the same inputs and compares their forward outputs. */
export async function compareRecurrence(gpu: EngineGpu, layer: string, sizes: RecurrenceSizes, batch: number, seqLen: number, reps: number): Promise<RecurrenceComparison> {
  const r = sizes.op === 'deltaRule' ? await compareDeltaRule(gpu, sizes, batch, seqLen, reps) : await compareMamba2(gpu, sizes, batch, seqLen, reps);
  const agreement = compareArrays(r.naiveOut, r.fusedOut, RECURRENCE_AGREEMENT);
  return {
    layer,
    sizes,
    batch,
    seqLen,
    fusedMs: r.fused.msPerCall,
    naiveMs: r.naive.msPerCall,
    fusedDispatches: r.fused.dispatches,
    naiveDispatches: r.naive.dispatches,
    maxAbsDiff: agreement.maxAbsDiff,
    agrees: agreement.ok,
  };
}

export const RECURRENCES_SECTION = 'Recurrences: fused vs naive';

export function renderRecurrenceSection(rows: RecurrenceComparison[], skipped: SkippedComparison[], adapter: string, command: string, machine: string): string {
  const lines = [
    `## ${RECURRENCES_SECTION}`,
    '',
    'The recurrence of each new mixer alone, forward + backward at the layer\'s sizes (d = 128), the',
    'fused kernel against the naive formulation from existing ops on the same inputs (one submit per',
    'call, wall clock after warm-up). Delta rule, naive: the per-token recurrence unrolled over T,',
    'batched over B·H (per token: selectPosition of k, v, β (, log α), matmuls S k, β u kᵀ, S q, and',
    'broadcast sub/mul/add; the T outputs are summed into the one tensor the random upstream gradient',
    'seeds). Mamba-2, naive: Mamba-1\'s selective scan with Δ, A_log and D broadcast per head (two',
    'broadcast multiplies and an add) and x sliced from [x | B | C]. "max |diff|": naive against fused',
    `forward output, tolerance ${RECURRENCE_AGREEMENT.atol} + ${RECURRENCE_AGREEMENT.rtol}·|fused|.`,
    '',
    `Command: \`${command}\``,
    '',
    `Adapter: ${adapter}. ${machine}`,
    '',
    '| layer | recurrence | B × T | fused ms | naive ms | naive ÷ fused | dispatches fused / naive | max \\|diff\\| |',
    '|---|---|---|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.layer} | ${describeSizes(r.sizes)} | ${r.batch} × ${r.seqLen} | ${r.fusedMs.toFixed(1)} | ${r.naiveMs.toFixed(1)} | ${(r.naiveMs / r.fusedMs).toFixed(2)}× | ${r.fusedDispatches} / ${r.naiveDispatches.toLocaleString('en-US')} | ${r.maxAbsDiff.toExponential(1)}${r.agrees ? '' : ' (over tolerance)'} |`,
    ),
  ];
  if (skipped.length > 0) lines.push('', ...skipped.map((s) => `Not run: ${s.layer} at ${s.batch} × ${s.seqLen}: ${s.reason}.`));
  return lines.join('\n');
}
