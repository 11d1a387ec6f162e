// `npm run bench -- layers`: forward + backward time of every registered layer at MAD shapes
// (d = 128, B × T tokens) on the current adapter, the fused attention kernel against the
// naive formulation softmax(QKᵀ/√d + mask)·V built from matmul + softmax, and the fused
// recurrences of delta-net, gated-delta-net and mamba2 against theirs (recurrenceComparison.ts),
// in the same run.

import type { AdapterSummary } from '../src/gpu/device.ts';
import type { EngineGpu } from '../src/engine/compile.ts';
import { acquireEngineGpu } from '../src/engine/engineGpu.ts';
import { Graph } from '../src/engine/graph.ts';
import { flashAttention } from '../src/engine/ops/attention/flashAttention.ts';
import { add } from '../src/engine/ops/binary/binary.ts';
import { matmul } from '../src/engine/ops/matmul/matmul.ts';
import { softmax } from '../src/engine/ops/softmax/softmax.ts';
import { unary } from '../src/engine/ops/unary/unary.ts';
import type { Tensor } from '../src/engine/tensor.ts';
import { countLayerParameters } from '../src/layers/counting.ts';
import { LAYERS, resolveLayerConfig } from '../src/layers/registry.ts';
import { ParamFactory } from '../src/engine/params.ts';
import { randomData, timeForwardBackward } from './forwardBackwardTiming.ts';
import {
  RECURRENCE_LAYERS,
  compareRecurrence,
  comparisonSkipReason,
  layerRecurrenceSizes,
  type RecurrenceComparison,
  type SkippedComparison,
} from './recurrenceComparison.ts';

export interface LayerTiming {
  layer: string;
  seqLen: number;
  batch: number;
  parameters: number;
  msForwardBackward: number;
  /** Tokens (B·T) processed per second, forward + backward. */
  tokensPerSecond: number;
}

export interface AttentionComparison {
  seqLen: number;
  batch: number;
  heads: number;
  headDim: number;
  fusedMs: number;
  /** null when the naive graph's T × T scores do not fit one buffer of the device (naiveSkipped says so). */
  naiveMs: number | null;
  naiveSkipped?: string;
}

export interface LayersReport {
  adapter: string;
  batch: number;
  seqLens: number[];
  layers: LayerTiming[];
  attention: AttentionComparison[];
  recurrences: RecurrenceComparison[];
  recurrencesSkipped: SkippedComparison[];
}

/** What `npm run bench -- layers --json` prints: the report, the command and the machine line of its sections. */
export type LayersJson = LayersReport & { command: string; machine: string };

const DIM = 128;

async function timeLayer(gpu: EngineGpu, name: string, batch: number, seqLen: number, reps: number): Promise<LayerTiming> {
  const definition = LAYERS.find((l) => l.name === name)!;
  const config = resolveLayerConfig(name);
  const g = new Graph(gpu.target);
  const x = g.input([batch, seqLen, DIM], 'f32', 'x', randomData(batch * seqLen * DIM, 1));
  g.markTrainable(x);
  const y = definition.build({ g, params: new ParamFactory(g, 0), dim: DIM, maxLength: seqLen, name }, x, config);
  const ms = (await timeForwardBackward(gpu, g, y, reps)).msPerCall;
  return {
    layer: name,
    seqLen,
    batch,
    parameters: countLayerParameters(definition, config, DIM, seqLen),
    msForwardBackward: ms,
    tokensPerSecond: (batch * seqLen) / (ms / 1000),
  };
}

/** The textbook formulation on [B·H, T, d] q, k, v: explicit scores, additive causal mask, softmax. */
function naiveAttention(g: Graph, batch: number, heads: number, seqLen: number, headDim: number): Tensor {
  const shape = [batch * heads, seqLen, headDim];
  const n = shape.reduce((a, b) => a * b, 1);
  const [q, k, v] = [1, 2, 3].map((seed) => {
    const t = g.input(shape, 'f32', `qkv${seed}`, randomData(n, seed));
    g.markTrainable(t);
    return t;
  });
  const mask = new Float32Array(seqLen * seqLen);
  for (let i = 0; i < seqLen; i++) for (let j = i + 1; j < seqLen; j++) mask[i * seqLen + j] = -1e9;
  const scores = unary(g, 'scale', matmul(g, q!, k!, { transposeB: true }), 1 / Math.sqrt(headDim));
  const masked = add(g, scores, g.input([seqLen, seqLen], 'f32', 'causal mask', mask));
  return matmul(g, softmax(g, masked), v!);
}

async function compareAttention(gpu: EngineGpu, batch: number, seqLen: number, reps: number): Promise<AttentionComparison> {
  const heads = 16;
  const headDim = 8;
  const fused = new Graph(gpu.target);
  const qkv = fused.input([batch, seqLen, 3 * heads * headDim], 'f32', 'qkv', randomData(batch * seqLen * 3 * heads * headDim, 4));
  fused.markTrainable(qkv);
  const fusedMs = (await timeForwardBackward(gpu, fused, flashAttention(fused, qkv, { heads, headDim }), reps)).msPerCall;
  const naive = new Graph(gpu.target);
  const output = naiveAttention(naive, batch, heads, seqLen, headDim);
  const maxBuffer = Math.min(gpu.device.limits.maxBufferSize, gpu.device.limits.maxStorageBufferBindingSize);
  const needed = naive.plannedBytes.activation;
  if (needed > maxBuffer) {
    const mib = (n: number) => `${(n / 2 ** 20).toFixed(0)} MiB`;
    return { seqLen, batch, heads, headDim, fusedMs, naiveMs: null, naiveSkipped: `the naive graph needs ${mib(needed)} of activations in one buffer, over this device's ${mib(maxBuffer)}` };
  }
  const naiveMs = (await timeForwardBackward(gpu, naive, output, reps)).msPerCall;
  return { seqLen, batch, heads, headDim, fusedMs, naiveMs };
}

export async function measureLayers(options: {
  batch: number;
  seqLens: number[];
  reps: number;
  filter?: string;
  /** Only the fused-vs-naive recurrences: no per-layer rows, no attention comparison. */
  recurrencesOnly?: boolean;
  log: (line: string) => void;
}): Promise<LayersReport> {
  const gpu = await acquireEngineGpu({ label: 'bench layers' });
  const matches = (n: string): boolean => options.filter === undefined || n.includes(options.filter);
  const names = options.recurrencesOnly ? [] : LAYERS.map((l) => l.name).filter(matches);
  const layers: LayerTiming[] = [];
  const attention: AttentionComparison[] = [];
  const recurrences: RecurrenceComparison[] = [];
  const recurrencesSkipped: SkippedComparison[] = [];
  for (const seqLen of options.seqLens) {
    for (const name of names) {
      options.log(`  ${name} B=${options.batch} T=${seqLen} …`);
      layers.push(await timeLayer(gpu, name, options.batch, seqLen, options.reps));
    }
    if (!options.recurrencesOnly) {
      options.log(`  attention fused vs naive B=${options.batch} T=${seqLen} …`);
      attention.push(await compareAttention(gpu, options.batch, seqLen, options.reps));
    }
    for (const layer of RECURRENCE_LAYERS.filter(matches)) {
      const sizes = layerRecurrenceSizes(layer);
      const reason = comparisonSkipReason(sizes, seqLen);
      if (reason !== null) {
        options.log(`  ${layer} recurrence fused vs naive B=${options.batch} T=${seqLen}: skipped (${reason})`);
        recurrencesSkipped.push({ layer, batch: options.batch, seqLen, reason });
        continue;
      }
      options.log(`  ${layer} recurrence fused vs naive B=${options.batch} T=${seqLen} …`);
      const r = await compareRecurrence(gpu, layer, sizes, options.batch, seqLen, options.reps);
      options.log(
        `    fused ${r.fusedMs.toFixed(1)} ms, naive ${r.naiveMs.toFixed(1)} ms (${(r.naiveMs / r.fusedMs).toFixed(2)}×); forward max |diff| ${r.maxAbsDiff.toExponential(2)}${r.agrees ? '' : ' OVER TOLERANCE'}`,
      );
      recurrences.push(r);
    }
  }
  return { adapter: adapterName(gpu.adapterInfo), batch: options.batch, seqLens: options.seqLens, layers, attention, recurrences, recurrencesSkipped };
}

function adapterName(a: AdapterSummary): string {
  return [a.vendor, a.architecture, a.description].filter((s) => s !== '').join(' / ') || 'unknown adapter';
}

export function renderLayersSection(r: LayersReport, command: string, machine: string): string {
  const lines = [
    '## Layers',
    '',
    `Forward + backward of each layer at d = 128 on ${r.batch} × T tokens (one submit per call, wall clock`,
    'after warm-up), and the fused attention kernel (16 heads × 8, rotary in-kernel) against the naive',
    'formulation softmax(QKᵀ/√d + mask)·V from matmul, scale, add and softmax, timed in the same run.',
    '',
    `Command: \`${command}\``,
    ...(r.batch < 128 ? ['', `MAD trains with B = 128 (the default); this run used B = ${r.batch} to fit a CPU adapter's time.`] : []),
    '',
    `Adapter: ${r.adapter}. ${machine}`,
    '',
    `| layer | parameters | ${r.seqLens.map((t) => `T=${t} ms`).join(' | ')} | ${r.seqLens.map((t) => `T=${t} tokens/s`).join(' | ')} |`,
    `|---|---:|${r.seqLens.map(() => '---:').join('|')}|${r.seqLens.map(() => '---:').join('|')}|`,
  ];
  const names = [...new Set(r.layers.map((l) => l.layer))];
  for (const name of names) {
    const rows = r.seqLens.map((t) => r.layers.find((l) => l.layer === name && l.seqLen === t)!);
    lines.push(
      `| ${name} | ${rows[0]!.parameters.toLocaleString('en-US')} | ${rows.map((l) => l.msForwardBackward.toFixed(1)).join(' | ')} | ${rows
        .map((l) => Math.round(l.tokensPerSecond).toLocaleString('en-US'))
        .join(' | ')} |`,
    );
  }
  lines.push('', '| attention, B × T | fused ms | naive ms | naive ÷ fused |', '|---|---:|---:|---:|');
  for (const a of r.attention) {
    const naive = a.naiveMs === null ? `— (${a.naiveSkipped})` : a.naiveMs.toFixed(1);
    const ratio = a.naiveMs === null ? '—' : `${(a.naiveMs / a.fusedMs).toFixed(2)}×`;
    lines.push(`| ${a.batch} × ${a.seqLen} | ${a.fusedMs.toFixed(1)} | ${naive} | ${ratio} |`);
  }
  return lines.join('\n');
}
