// `npm run bench -- profile`: where a training step's GPU time goes. The product's step for a model
// (createBenchTrainingStep: forward, backward, gradient norm, AdamW) is recorded once more with
// every launch in its own compute pass between GPU timestamps (CompiledGraph.encodeEachLaunch),
// and the times are summed per kernel: the launch's label up to the first tensor name, with its
// phase ("matmul backward dB", "rmsnorm forward (rows)", "delta rule backward (rows)"). The
// step's wall time, queued and awaited alone as training runs it, is printed beside the sum: a
// pass per launch adds each pass's own cost, so the sum overstates the step a little on CPU
// adapters, and shares (not absolute figures) are what to compare.

import { sizeProblem, type SizeProblem } from '../src/config/sizePolicy.ts';
import type { Phase } from '../src/engine/launch.ts';
import { architectureFromLayers, modelId, validateArchitecture } from '../src/model/architecture.ts';
import { DEFAULT_LAYERS } from '../src/model/presets.ts';
import { submit } from '../src/gpu/stats.ts';
import { TimestampTimer } from '../src/gpu/timing.ts';
import { describeAdapter, fillInts, fmtMs, type BenchGpu } from './kernels.ts';
import { createBenchTrainingStep, timeEachStep } from './trainingStepBench.ts';

export class ProfileUsageError extends Error {}

export const PROFILE_USAGE = [
  'profile flags:',
  `  --layers NAME…   the model's layers, registry names (default ${DEFAULT_LAYERS.join(' ')})`,
  '  --dim D          model width (default 128)',
  '  --batch B        sequences per step (default 16)',
  '  --seq-len T      tokens per sequence (default 128)',
  '  --vocab V        vocabulary (default 16)',
  '  --reps K         timed recordings, averaged (default 3)',
  '  --top N          kernels listed before the rest are summed (default 20)',
  '  --json           print the profile as JSON on stdout (use `npm run -s`)',
];

export interface ProfileFlags {
  layers: string[];
  dim: number;
  batch: number;
  seqLen: number;
  vocab: number;
  reps: number;
  top: number;
  json: boolean;
}

const DEFAULTS: ProfileFlags = { layers: [...DEFAULT_LAYERS], dim: 128, batch: 16, seqLen: 128, vocab: 16, reps: 3, top: 20, json: false };

/** WebGPU's limit on a query set's size: two timestamps a launch. */
const MAX_QUERIES = 4096;

/** The phases of one step as TrainingStep.train records them for one micro-batch. */
const STEP_PHASES: readonly Phase[] = ['forward', 'backward', 'batchEnd', 'update'];

export function parseProfileFlags(argv: readonly string[]): ProfileFlags {
  const flags: ProfileFlags = { ...DEFAULTS, layers: [...DEFAULTS.layers] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new ProfileUsageError(`${arg} needs a value`);
      return v;
    };
    const count = (): number => {
      const text = value();
      const n = Number(text);
      if (!Number.isInteger(n) || n < 1) throw new ProfileUsageError(`${arg} needs a positive integer, got '${text}'`);
      return n;
    };
    if (arg === '--layers') {
      flags.layers = [];
      while (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) flags.layers.push(...argv[++i]!.split(',').filter((name) => name !== ''));
      if (flags.layers.length === 0) throw new ProfileUsageError('--layers needs at least one layer name');
    } else if (arg === '--dim') flags.dim = count();
    else if (arg === '--batch') flags.batch = count();
    else if (arg === '--seq-len') flags.seqLen = count();
    else if (arg === '--vocab') flags.vocab = count();
    else if (arg === '--reps') flags.reps = count();
    else if (arg === '--top') flags.top = count();
    else if (arg === '--json') flags.json = true;
    else throw new ProfileUsageError(`unknown flag for profile: ${arg}`);
  }
  // The product's size limits, checked before anything is built or allocated.
  const oversize = [
    sizeProblem('dim', flags.dim, '--dim'),
    sizeProblem('layers', flags.layers.length, '--layers'),
    sizeProblem('batchSize', flags.batch, '--batch'),
    sizeProblem('seqLen', flags.seqLen, '--seq-len'),
    sizeProblem('vocabSize', flags.vocab, '--vocab'),
  ].filter((problem): problem is SizeProblem => problem !== null);
  if (oversize.length > 0) throw new ProfileUsageError(oversize.map((problem) => problem.message).join(' '));
  return flags;
}

/** A kernel's share of the step: its launches' GPU time summed, averaged over the recordings. */
export interface KernelTime {
  kernel: string;
  phase: Phase;
  launches: number;
  ms: number;
}

export interface StepProfile {
  adapter: string;
  model: string;
  shape: { batch: number; seqLen: number; dim: number; vocab: number };
  /** Forward and backward run once per micro-batch; the profile records one. */
  microBatches: number;
  launches: number;
  /** Median wall time of whole steps, each awaited alone. */
  stepMs: number;
  /** Sum of the per-launch GPU times (each launch in its own pass). */
  gpuMs: number;
  kernels: KernelTime[];
}

/** A launch's label up to its first tensor name: "matmul backward dA rmsnorm(x)…" → "matmul backward dA". */
export function kernelName(label: string): string {
  const words: string[] = [];
  for (const word of label.split(' ')) {
    // Tensor names hold dots (layers.0.…), products (·) or calls (rmsnorm(…)); "(rows)" is a variant.
    if (/[.·]/.test(word) || /^[^(]+\(/.test(word)) break;
    words.push(word);
  }
  return words.join(' ') || label;
}

export async function profileStep(gpu: BenchGpu, flags: ProfileFlags, log: (line: string) => void): Promise<StepProfile> {
  if (!gpu.timestamps) throw new Error("this adapter has no 'timestamp-query' feature, so launches cannot be timed one by one");
  const architecture = architectureFromLayers(flags.layers, { dim: flags.dim });
  const invalid = validateArchitecture(architecture);
  if (invalid.length > 0) throw new ProfileUsageError(invalid.join('; '));
  const tokens = flags.batch * flags.seqLen;
  const bench = await createBenchTrainingStep(gpu, {
    architecture,
    vocabSize: flags.vocab,
    batchSize: flags.batch,
    seqLen: flags.seqLen,
    weightDecay: 0,
    lr: 1e-3,
    seed: 1,
    batch: [fillInts(tokens, flags.vocab, 1), fillInts(tokens, flags.vocab, 2)],
    source: modelId(architecture),
  });
  try {
    log(`profile: ${modelId(architecture)}, B ${flags.batch} × T ${flags.seqLen}, d ${flags.dim}, V ${flags.vocab}: timing whole steps`);
    const { msPerStep } = await timeEachStep(gpu, bench, Math.max(3, flags.reps));
    const compiled = bench.trainingStep.compiled;
    const launches = compiled.launchesOf(STEP_PHASES);
    if (2 * launches.length > MAX_QUERIES) {
      throw new ProfileUsageError(`the step has ${launches.length} launches; a query set times at most ${MAX_QUERIES / 2}: profile fewer layers`);
    }
    const timer = new TimestampTimer(gpu.device, launches.length, 'profile');
    try {
      const totals = new Float64Array(launches.length);
      for (let rep = 0; rep < flags.reps; rep++) {
        log(`profile: recording ${launches.length} launches, each in its own timed pass (${rep + 1} of ${flags.reps})`);
        const encoder = gpu.device.createCommandEncoder();
        compiled.encodeEachLaunch(encoder, STEP_PHASES, (i) => timer.passWrites(i));
        timer.encodeResolve(encoder);
        submit(gpu.device, [encoder.finish()]);
        (await timer.collect()).forEach((ns, i) => (totals[i]! += ns / 1e6 / flags.reps));
      }
      const byKernel = new Map<string, KernelTime>();
      launches.forEach(({ label, phase }, i) => {
        const kernel = kernelName(label);
        const key = `${phase} ${kernel}`;
        const entry = byKernel.get(key) ?? { kernel, phase, launches: 0, ms: 0 };
        entry.launches++;
        entry.ms += totals[i]!;
        byKernel.set(key, entry);
      });
      return {
        adapter: describeAdapter(gpu.adapterInfo),
        model: modelId(architecture),
        shape: { batch: flags.batch, seqLen: flags.seqLen, dim: flags.dim, vocab: flags.vocab },
        microBatches: bench.microBatches,
        launches: launches.length,
        stepMs: msPerStep,
        gpuMs: totals.reduce((a, b) => a + b, 0),
        kernels: [...byKernel.values()].sort((a, b) => b.ms - a.ms),
      };
    } finally {
      timer.destroy();
    }
  } finally {
    bench.destroy();
  }
}

export function renderProfile(p: StepProfile, top: number): string {
  const { batch, seqLen, dim, vocab } = p.shape;
  const micro = p.microBatches > 1 ? `; ${p.microBatches} micro-batches a step, one profiled` : '';
  const rows = p.kernels.slice(0, top).map((k) => [k.kernel, k.phase, String(k.launches), fmtMs(k.ms), percent(k.ms, p.gpuMs), fmtMs(k.ms / k.launches)]);
  const rest = p.kernels.slice(top);
  if (rest.length > 0) {
    const ms = rest.reduce((sum, k) => sum + k.ms, 0);
    const launches = rest.reduce((sum, k) => sum + k.launches, 0);
    rows.push([`${rest.length} more kernels`, '', String(launches), fmtMs(ms), percent(ms, p.gpuMs), '']);
  }
  const header = ['kernel', 'phase', 'launches', 'ms', 'share', 'ms/launch'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]): string => cells.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd();
  return [
    `${p.model} on ${p.adapter}: B ${batch} × T ${seqLen}, d ${dim}, V ${vocab}${micro}`,
    `step ${fmtMs(p.stepMs)} ms (wall, awaited alone); ${p.launches} launches, ${fmtMs(p.gpuMs)} ms summed one pass each`,
    '',
    line(header),
    ...rows.map(line),
  ].join('\n');
}

function percent(part: number, whole: number): string {
  return whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : '–';
}
