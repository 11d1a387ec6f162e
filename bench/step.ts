// `npm run bench -- step`: the whole training step (forward, backward, gradient norm, AdamW: the
// product's TrainingStep, one submit) of the paper's architectures at MAD's in-context-recall shapes
// (B 16, T 128, d 128, V 16), on every WebGPU implementation present, and with --torch a PyTorch
// eager twin of the same models (bench/torch/step_twin.py) on the same machine.
//
// The Vulkan driver is fixed when Dawn's instance starts, so each implementation runs in its own
// child process (this file again, with --child NAME and VK_ICD_FILENAMES / MAD_NODE_GPU set); the
// parent only gathers their JSON, runs the twin and prints. Our ms/step is the median of steps each
// awaited alone (bench/trainingStepBench.ts); with 'timestamp-query', GPU time is the median of the
// same phases timed in their compute pass (a few more submits; gradients not cleared, timing only).

import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { cpus, loadavg, platform, release } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Phase } from '../src/engine/launch.ts';
import { modelId, type ArchitectureSpec } from '../src/model/architecture.ts';
import { loadPresets } from '../src/model/presets.ts';
import { BENCHMARKS_DOC, writeSection } from './docSection.ts';
import { acquireBenchGpu, createDawnGpu, describeAdapter, fillInts, fmtMs, timeRecorded, type BenchGpu } from './kernels.ts';
import { createBenchTrainingStep, timeEachStep, type BenchTrainingStep } from './trainingStepBench.ts';

export const STEP_SECTION = 'Training step: ours vs PyTorch';

/** In-context recall's shapes (docs/protocol.md §1.1) at MAD's width, batch 16. */
export const STEP_SHAPE = { batch: 16, seqLen: 128, dim: 128, vocab: 16 } as const;
/** The single-run defaults of docs/protocol.md §6. */
const LR = 5e-4;
const WEIGHT_DECAY = 0;
const SEED = 7;
/** The architectures timed by default; --arch may name any preset's model id (ours only, unless the twin has its layers). */
export const DEFAULT_ARCHS = ['mA-Sg-mA-Sg', 'H-Sg-H-Sg'] as const;
/** Layers bench/torch/step_twin.py implements. */
const TWIN_LAYERS = new Set(['mA', 'H', 'Sg']);
const GPU_TIME_REPS = 3;

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
const SYSTEM_ICD_DIRS = ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d'];

export const STEP_USAGE = [
  'step flags:',
  `  --steps N              timed steps per architecture after one warm-up (default 5); median reported`,
  `  --arch LIST            comma-separated model ids (default ${DEFAULT_ARCHS.join(',')}); any paper preset's id`,
  '                         runs ours; the PyTorch twin has mA, H and Sg only',
  '  --implementations LIST lavapipe, swiftshader, system (the GPU\'s own driver): default every one present',
  '  --torch                also time bench/torch/step_twin.py (/usr/bin/python3, then python3) and print ours ÷ torch',
  '  --json                 print the report as JSON on stdout (use `npm run -s`)',
  '  --no-write             do not write the "Training step: ours vs PyTorch" section of docs/benchmarks.md',
];

// ---------------------------------------------------------------------------------------------
// Report shapes

export interface OursArchResult {
  arch: string;
  parameters: number;
  dispatches: number;
  /** Micro-batches per step (gradient accumulation, as the trainer plans it for the device's buffer limits). */
  microBatches: number;
  warmupMs: number;
  stepsMs: number[];
  msPerStep: number;
  tokensPerSecond: number;
  /** Median GPU time of one step's compute pass (timestamp-query), or null without the feature. */
  gpuMs: number | null;
}

export interface OursImplementation {
  implementation: string;
  adapter?: string;
  driver?: string;
  target?: string;
  timestamps?: boolean;
  results: OursArchResult[];
  /** Architectures that failed on this implementation, with why. */
  failed?: { arch: string; error: string }[];
  error?: string;
}

export interface TorchArchResult {
  arch: string;
  parameters: number;
  msPerStep: number;
  stepsMs: number[];
  tokensPerSecond: number;
}

export interface TorchReport {
  torch?: string;
  python?: string;
  device?: string;
  threads?: number;
  attention?: string;
  results?: TorchArchResult[];
  /** Why there is no PyTorch figure (not installed, failed), with how to get it. */
  error?: string;
}

export interface ComparisonRow {
  arch: string;
  implementation: string;
  oursMs: number;
  torchMs: number | null;
  /** ours ms/step ÷ torch ms/step: below 1, ours is faster. */
  oursOverTorch: number | null;
  parametersOurs: number;
  parametersTorch: number | null;
}

export interface StepReport {
  run: {
    date: string;
    command: string;
    shape: typeof STEP_SHAPE;
    steps: number;
    node: string;
    cpu: string;
    cores: number;
    os: string;
    /** 1-minute load average at the start and at the end. */
    loadAverage: [number, number];
    seconds: number;
  };
  ours: OursImplementation[];
  torch: TorchReport | null;
  comparison: ComparisonRow[];
}

// ---------------------------------------------------------------------------------------------
// Pure parts (tested in step.test.ts)

/** One row per architecture and implementation; the ratio is ours ÷ torch (ms per step). */
export function compare(ours: readonly OursImplementation[], torch: TorchReport | null): ComparisonRow[] {
  const rows: ComparisonRow[] = [];
  for (const impl of ours) {
    for (const r of impl.results) {
      const t = torch?.results?.find((x) => x.arch === r.arch) ?? null;
      rows.push({
        arch: r.arch,
        implementation: impl.implementation,
        oursMs: r.msPerStep,
        torchMs: t?.msPerStep ?? null,
        oursOverTorch: t ? r.msPerStep / t.msPerStep : null,
        parametersOurs: r.parameters,
        parametersTorch: t?.parameters ?? null,
      });
    }
  }
  return rows;
}

const num = (n: number, digits = 0): string => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** The markdown table of one architecture: a row per implementation, then PyTorch's. */
export function renderArchTable(arch: string, report: Pick<StepReport, 'ours' | 'torch'>): string {
  const lines = [
    '| implementation | ms/step | tokens/s | dispatches/step | GPU ms/step | PyTorch ms/step | ours ÷ PyTorch |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  const t = report.torch?.results?.find((x) => x.arch === arch) ?? null;
  for (const impl of report.ours) {
    const r = impl.results.find((x) => x.arch === arch);
    if (!r) {
      const error = impl.failed?.find((f) => f.arch === arch)?.error ?? impl.error;
      if (error) lines.push(`| ${impl.implementation} | failed: ${error} | | | | | |`);
      continue;
    }
    const gpu = r.gpuMs === null ? 'n/a' : fmtMs(r.gpuMs);
    const torchMs = t ? fmtMs(t.msPerStep) : '–';
    const ratio = t ? `${(r.msPerStep / t.msPerStep).toFixed(2)}×` : '–';
    lines.push(`| ${impl.implementation} | ${fmtMs(r.msPerStep)} | ${num(r.tokensPerSecond)} | ${r.dispatches}${r.microBatches > 1 ? ` (${r.microBatches} micro-batches)` : ''} | ${gpu} | ${torchMs} | ${ratio} |`);
  }
  if (t) lines.push(`| PyTorch ${report.torch?.torch ?? ''} eager (${report.torch?.device ?? '?'}, ${report.torch?.threads ?? '?'} threads) | ${fmtMs(t.msPerStep)} | ${num(t.tokensPerSecond)} | | | | 1.00× |`);
  return lines.join('\n');
}

function parameterLine(arch: string, report: StepReport): string {
  const rows = report.comparison.filter((c) => c.arch === arch);
  const ours = rows[0]?.parametersOurs;
  const torch = report.torch?.results?.find((x) => x.arch === arch)?.parameters;
  if (ours === undefined) return '';
  if (torch === undefined) return `Parameters: ${num(ours)} (ours).`;
  return ours === torch ? `Parameters: ${num(ours)}, ours and the twin alike.` : `Parameters: ours ${num(ours)}, the twin ${num(torch)}: **they differ**.`;
}

export function renderStepSection(report: StepReport): string {
  const { run } = report;
  const archs = [...new Set(report.ours.flatMap((i) => [...i.results.map((r) => r.arch), ...(i.failed ?? []).map((f) => f.arch)]))];
  const load = run.loadAverage;
  // The load at the end includes the bench's own threads; only the load before it started says
  // whether other work shared the CPU.
  const shared =
    load[0] > run.cores
      ? `; above the ${run.cores} cores before the bench started, so other work shared the CPU and every ms is inflated — compare the ratios, measured in this one run`
      : '; nothing else ran beside it (the load at the end is its own threads)';
  const adapters = report.ours.map((i) =>
    i.error ? `${i.implementation}: failed (${i.error})` : `${i.implementation}: ${i.adapter} (${i.driver}; kernel target ${i.target}${i.timestamps ? ', timestamp-query' : ', no timestamp-query'})`,
  );
  const torch = report.torch;
  const torchLine = !torch
    ? 'PyTorch: not run (add --torch).'
    : torch.error
      ? `PyTorch: ${torch.error}`
      : `PyTorch ${torch.torch} (${torch.python}), eager, device ${torch.device}, ${torch.threads} threads, attention via ${torch.attention}.`;
  const out = [
    `## ${STEP_SECTION}`,
    '',
    `\`${run.command}\`, measured ${run.date}. One training step of the product (src/engine/trainingStep.ts TrainingStep.train: batch upload, forward, cross-entropy with its accuracy counters, backward, gradient norm, AdamW; one submit) at in-context recall's shapes: B ${run.shape.batch}, T ${run.shape.seqLen}, d ${run.shape.dim}, V ${run.shape.vocab} (${num(run.shape.batch * run.shape.seqLen)} tokens), lr ${LR}, weight decay ${WEIGHT_DECAY}. ms/step is the median of ${run.steps} steps each awaited alone, after one warm-up step; GPU ms is the median of the compute pass's timestamps where the adapter has 'timestamp-query'. The PyTorch twin (bench/torch/step_twin.py, written from docs/protocol.md) runs the same models, the same loss, gradient norm and AdamW, on the same CPU cores, timed the same way. **ours ÷ PyTorch** is our ms/step over PyTorch's: below 1.00× ours is faster.`,
    '',
    ...adapters.map((a) => `- ${a}`),
    `- ${torchLine}`,
    `- Machine: ${run.cpu}, ${run.cores} cores, ${run.os}, Node ${run.node}; 1-minute load average ${load[0].toFixed(1)} at the start and ${load[1].toFixed(1)} at the end${shared}. The run took ${Math.round(run.seconds)} s.`,
  ];
  for (const arch of archs) out.push('', `### ${arch}`, '', renderArchTable(arch, report), '', parameterLine(arch, report));
  return `${out.join('\n').trimEnd()}\n`;
}

// ---------------------------------------------------------------------------------------------
// Flags

interface StepFlags {
  steps: number;
  archs: string[];
  implementations: string[] | null;
  torch: boolean;
  json: boolean;
  write: boolean;
  child: string | null;
}

export class StepUsageError extends Error {}

export function parseStepFlags(argv: readonly string[]): StepFlags {
  const flags: StepFlags = { steps: 5, archs: [...DEFAULT_ARCHS], implementations: null, torch: false, json: false, write: true, child: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new StepUsageError(`${arg} needs a value`);
      return v;
    };
    const list = (): string[] => value().split(',').filter((s) => s !== '');
    if (arg === '--steps') {
      const text = value();
      flags.steps = Number(text);
      if (!Number.isInteger(flags.steps) || flags.steps < 1) throw new StepUsageError(`--steps needs a positive integer, got '${text}'`);
    } else if (arg === '--arch') flags.archs = list();
    else if (arg === '--implementations') flags.implementations = list();
    else if (arg === '--torch') flags.torch = true;
    else if (arg === '--json') flags.json = true;
    else if (arg === '--no-write') flags.write = false;
    else if (arg === '--child') flags.child = value();
    else throw new StepUsageError(`unknown flag for step: ${arg}`);
  }
  return flags;
}

// ---------------------------------------------------------------------------------------------
// Implementations and the child process that measures one

interface Implementation {
  name: string;
  /** The ICD file to point Vulkan at; undefined: the system's drivers (a real GPU). */
  icd?: string;
}

function presentImplementations(): Implementation[] {
  const found: Implementation[] = [];
  const listing = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir) : []);
  const hasGpuNode = existsSync('/dev/nvidiactl') || existsSync('/dev/dxg') || listing('/dev/dri').some((n) => n.startsWith('renderD'));
  if (hasGpuNode) found.push({ name: 'system' });
  const lavapipe = SYSTEM_ICD_DIRS.flatMap((dir) => listing(dir).filter((n) => /^lvp_icd(\.[\w-]+)?\.json$/.test(n)).map((n) => `${dir}/${n}`))[0];
  if (lavapipe) found.push({ name: 'lavapipe', icd: lavapipe });
  if (existsSync(SWIFTSHADER_ICD)) found.push({ name: 'swiftshader', icd: SWIFTSHADER_ICD });
  return found;
}

function architectureFor(arch: string): ArchitectureSpec {
  const preset = loadPresets().find((p) => modelId(p.architecture) === arch);
  if (!preset) {
    const ids = [...new Set(loadPresets().map((p) => modelId(p.architecture)))].join(', ');
    throw new StepUsageError(`no preset has the model id '${arch}' (have: ${ids})`);
  }
  return preset.architecture;
}

async function gpuStepMs(gpu: BenchGpu, step: BenchTrainingStep): Promise<number | null> {
  if (!gpu.timestamps) return null;
  const compiled = step.trainingStep.compiled;
  // Every micro-batch's phases in one pass (one timestamp pair); its input copies are left out.
  const phases: Phase[] = ['batchStart', ...Array.from({ length: step.microBatches }, () => ['forward', 'backward'] as Phase[]).flat(), 'batchEnd', 'update'];
  const budget = { targetMs: Infinity, minReps: GPU_TIME_REPS, maxReps: GPU_TIME_REPS, singleCallMs: Infinity };
  return (await timeRecorded(gpu, (encoder) => compiled.encodePhases(encoder, phases), budget)).gpuMs;
}

async function measureArch(gpu: BenchGpu, name: string, arch: string, data: readonly [Int32Array, Int32Array], steps: number, log: (line: string) => void): Promise<OursArchResult> {
  const { batch, seqLen, vocab } = STEP_SHAPE;
  const step = await createBenchTrainingStep(gpu, {
    architecture: architectureFor(arch),
    vocabSize: vocab,
    batchSize: batch,
    seqLen,
    weightDecay: WEIGHT_DECAY,
    lr: LR,
    seed: SEED,
    batch: data,
    source: `${arch} preset`,
  });
  const split = step.microBatches > 1 ? ` in ${step.microBatches} micro-batches` : '';
  log(`[${name}] ${arch}: ${step.parameterCount} parameters, ${step.dispatches} dispatches/step${split}; warm-up, then ${steps} steps`);
  try {
    const t = await timeEachStep(gpu, step, steps);
    const gpuMs = await gpuStepMs(gpu, step);
    log(`[${name}] ${arch}: ${fmtMs(t.msPerStep)} ms/step (warm-up ${fmtMs(t.warmupMs)} ms)${gpuMs === null ? '' : `, GPU ${fmtMs(gpuMs)} ms`}`);
    return {
      arch,
      parameters: step.parameterCount,
      dispatches: step.dispatches,
      microBatches: step.microBatches,
      warmupMs: t.warmupMs,
      stepsMs: t.stepsMs,
      msPerStep: t.msPerStep,
      tokensPerSecond: (batch * seqLen) / (t.msPerStep / 1000),
      gpuMs,
    };
  } finally {
    step.destroy();
  }
}

/** In the child: our step for each architecture on the implementation this process was started with. */
async function measureOurs(name: string, flags: StepFlags, log: (line: string) => void): Promise<OursImplementation> {
  const shared = await createDawnGpu();
  const gpu = await acquireBenchGpu(shared);
  const out: OursImplementation = {
    implementation: name,
    adapter: describeAdapter(gpu.adapterInfo),
    driver: shared.driver,
    target: gpu.target,
    timestamps: gpu.timestamps,
    results: [],
  };
  log(`[${name}] adapter ${out.adapter} (${out.driver})${gpu.timestamps ? ', timestamp-query' : ''}`);
  const { batch, seqLen, vocab } = STEP_SHAPE;
  const data = [fillInts(batch * seqLen, vocab, SEED), fillInts(batch * seqLen, vocab, SEED + 1)] as const;
  for (const arch of flags.archs) {
    try {
      out.results.push(await measureArch(gpu, name, arch, data, flags.steps, log));
    } catch (err) {
      const error = err instanceof Error ? err.message.split('\n')[0]! : String(err);
      log(`[${name}] ${arch} failed: ${error}`);
      (out.failed ??= []).push({ arch, error });
    }
  }
  gpu.device.destroy();
  return out;
}

/** Runs a command, stderr passed through (progress), stdout collected. */
function runChild(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; spawnError?: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', (err) => resolve({ code: null, stdout, spawnError: err.message }));
    child.on('close', (code) => resolve({ code, stdout }));
  });
}

const lastJsonLine = (text: string): unknown => JSON.parse(text.trim().split('\n').at(-1) ?? 'null');

async function oursInChild(impl: Implementation, flags: StepFlags): Promise<OursImplementation> {
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? '/tmp' };
  delete env.VK_DRIVER_FILES;
  if (impl.icd) {
    env.VK_ICD_FILENAMES = impl.icd;
    env.MAD_NODE_GPU = impl.name;
  } else {
    delete env.VK_ICD_FILENAMES;
    delete env.MAD_NODE_GPU;
  }
  const main = fileURLToPath(new URL('./main.ts', import.meta.url));
  const args = [...process.execArgv, main, 'step', '--child', impl.name, '--steps', String(flags.steps), '--arch', flags.archs.join(',')];
  const r = await runChild(process.execPath, args, env);
  try {
    if (r.code === 0) return lastJsonLine(r.stdout) as OursImplementation;
  } catch {
    // fall through: reported as a failure below
  }
  return { implementation: impl.name, results: [], error: r.spawnError ?? `child exited with ${r.code}` };
}

const TORCH_HOW_TO = 'no python3 with torch found: on Debian `sudo apt-get install python3-torch` (CPU), elsewhere `pip install torch`; then rerun with --torch';

async function torchTwin(flags: StepFlags, log: (line: string) => void): Promise<TorchReport> {
  const archs = flags.archs.filter((a) => a.split('-').every((l) => TWIN_LAYERS.has(l)));
  if (archs.length === 0) return { error: `the twin has no model among ${flags.archs.join(', ')} (it has layers ${[...TWIN_LAYERS].join(', ')})` };
  const script = fileURLToPath(new URL('./torch/step_twin.py', import.meta.url));
  const args = [script, '--arch', archs.join(','), '--steps', String(flags.steps), '--threads', String(cpus().length),
    '--batch', String(STEP_SHAPE.batch), '--seq-len', String(STEP_SHAPE.seqLen), '--dim', String(STEP_SHAPE.dim), '--vocab', String(STEP_SHAPE.vocab),
    '--lr', String(LR), '--weight-decay', String(WEIGHT_DECAY)];
  // Debian's python3-torch lives in /usr/bin/python3; another python3 may come first on PATH.
  for (const python of ['/usr/bin/python3', 'python3']) {
    if (python.startsWith('/') && !existsSync(python)) continue;
    log(`[torch] ${python} ${archs.join(', ')}: warm-up, then ${flags.steps} steps each`);
    const r = await runChild(python, args, process.env);
    if (r.spawnError) continue;
    let parsed: TorchReport & { error?: string };
    try {
      parsed = lastJsonLine(r.stdout) as TorchReport;
    } catch {
      return { error: `${python} bench/torch/step_twin.py exited with ${r.code} and no JSON` };
    }
    if (parsed?.error === 'no-torch') continue;
    if (r.code !== 0) return { error: `${python} bench/torch/step_twin.py exited with ${r.code}` };
    return parsed;
  }
  return { error: TORCH_HOW_TO };
}

// ---------------------------------------------------------------------------------------------
// The subcommand

export async function runStep(argv: string[], log: (line: string) => void): Promise<number> {
  const flags = parseStepFlags(argv);
  for (const arch of flags.archs) architectureFor(arch); // refuse an unknown id before starting anything
  if (flags.child !== null) {
    console.log(JSON.stringify(await measureOurs(flags.child, flags, log)));
    return 0;
  }
  const started = performance.now();
  const loadAtStart = loadavg()[0]!;
  const present = presentImplementations();
  const chosen = flags.implementations === null ? present : flags.implementations.map((name) => {
    const impl = present.find((p) => p.name === name);
    if (!impl) throw new StepUsageError(`implementation '${name}' is not present here (present: ${present.map((p) => p.name).join(', ') || 'none'})`);
    return impl;
  });
  log(`step benchmark: ${flags.archs.join(', ')} at B ${STEP_SHAPE.batch}, T ${STEP_SHAPE.seqLen}, d ${STEP_SHAPE.dim}, V ${STEP_SHAPE.vocab} on ${chosen.map((c) => c.name).join(', ')}${flags.torch ? ', then PyTorch' : ''}; on a CPU this takes minutes`);
  const ours: OursImplementation[] = [];
  for (const impl of chosen) ours.push(await oursInChild(impl, flags));
  const torch = flags.torch ? await torchTwin(flags, log) : null;
  if (torch?.error) log(`[torch] ${torch.error}`);
  const cpu = cpus();
  const report: StepReport = {
    run: {
      date: new Date().toISOString().slice(0, 10),
      command: ['npm run bench --', 'step', ...argv.filter((a) => a !== '--no-write')].join(' '),
      shape: STEP_SHAPE,
      steps: flags.steps,
      node: process.version,
      cpu: cpu[0]?.model ?? 'unknown CPU',
      cores: cpu.length,
      os: `${platform()} ${release()}`,
      loadAverage: [loadAtStart, loadavg()[0]!],
      seconds: (performance.now() - started) / 1000,
    },
    ours,
    torch,
    comparison: compare(ours, torch),
  };
  const section = renderStepSection(report);
  console.log(flags.json ? JSON.stringify(report, null, 2) : section);
  if (flags.write && ours.some((o) => o.results.length > 0)) {
    writeSection(STEP_SECTION, section);
    log(`wrote the "${STEP_SECTION}" section of ${BENCHMARKS_DOC}`);
  }
  return ours.every((o) => !o.error && !o.failed) ? 0 : 1;
}
