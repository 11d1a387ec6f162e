// The figures of `npm run bench -- kernels` as one plain object (what --json prints), the console
// tables, and the "## Kernels" section of docs/benchmarks.md (only that section is replaced).

import type { AdapterSummary } from '../src/gpu/device.ts';
import { BENCHMARKS_DOC, writeSection } from './docSection.ts';
import { fmtMs, type KernelFigure, type MlpStepSpec, type OursMlpStepResult, type Roofline, type SkippedCase } from './kernels.ts';
import type { TfjsBackendInfo, TfjsMatmulResult, TfjsMlpStepResult } from './tfjsBaseline.ts';

export const KERNELS_SECTION = 'Kernels';

/** The ratios the project requires of us over TF.js on the same adapter. */
export const TARGETS = { matmul512: 3, mlpStep: 5 } as const;

export interface KernelsReport {
  adapter: AdapterSummary & { summary: string; driver: string; features: readonly string[] };
  run: {
    date: string;
    command: string;
    node: string;
    cpu: string;
    cores: number;
    os: string;
    quick: boolean;
    seconds: number;
    /** The 1-minute load average at the start and the end: other work on the machine slows both sides. */
    loadAverage: [number, number];
  };
  ours: {
    kernels: KernelFigure[];
    skipped: SkippedCase[];
    /** The GEMM kernel matmulVariantFor picks for this adapter's kernel target. */
    matmulVariant: string;
    roofline: Roofline | null;
    /** Our matmuls at the sizes TF.js is timed on (forward, GFLOP/s), keyed by n. */
    matmul: Record<string, { ms: number; gflops: number } | null>;
    mlpStep: (OursMlpStepResult & { gflops: number }) | null;
    mlpStepSkipped: string | null;
  };
  tfjs: {
    backend: TfjsBackendInfo | null;
    matmul: TfjsMatmulResult[];
    mlpStep: (TfjsMlpStepResult & { gflops: number }) | null;
    error: string | null;
  };
  /** ours ÷ TF.js: GFLOP/s ratio for matmul, speed-up (TF.js ms ÷ our ms) for the MLP step. */
  ratio: {
    matmul: Record<string, number | null>;
    mlpStep: number | null;
    targets: typeof TARGETS;
    meets: { matmul512: boolean | null; mlpStep: boolean | null };
  };
  mlpSpec: MlpStepSpec;
}

const x = (r: number | null): string => (r === null ? '—' : `${r.toFixed(r >= 10 ? 1 : 2)}×`);
const num = (v: number | null, digits = 2): string => (v === null || !Number.isFinite(v) ? '—' : v.toFixed(digits));
const verdict = (ok: boolean | null): string => (ok === null ? 'not measured' : ok ? 'met' : 'NOT MET');

function comparisonRows(r: KernelsReport): string[][] {
  const rows: string[][] = [];
  for (const t of r.tfjs.matmul) {
    const ours = r.ours.matmul[String(t.n)] ?? null;
    const target = t.n === 512 ? `≥ ${TARGETS.matmul512}× (${verdict(r.ratio.meets.matmul512)})` : '';
    rows.push([`matmul ${t.n}×${t.n}·${t.n}×${t.n}, GFLOP/s`, num(ours?.gflops ?? null, 3), num(t.gflops, 3), x(r.ratio.matmul[String(t.n)] ?? null), target]);
  }
  const ours = r.ours.mlpStep;
  const tf = r.tfjs.mlpStep;
  rows.push([
    `MLP training step (${r.mlpSpec.batch}×${r.mlpSpec.seqLen} tokens), ms`,
    ours ? fmtMs(ours.msPerStep) : '—',
    tf ? fmtMs(tf.msPerStep) : '—',
    x(r.ratio.mlpStep),
    `≥ ${TARGETS.mlpStep}× (${verdict(r.ratio.meets.mlpStep)})`,
  ]);
  return rows;
}

function kernelRows(r: KernelsReport): string[][] {
  return r.ours.kernels.map((k) => [
    k.name,
    k.pass,
    String(k.reps),
    fmtMs(k.ms),
    k.gpuMs === null ? '—' : fmtMs(k.gpuMs),
    k.flop === 0 ? '—' : num(k.gflops, 3),
    num(k.gbs, 2),
    k.roofline === null ? '—' : `${(100 * k.roofline).toFixed(0)} %`,
  ]);
}

function markdownTable(header: string[], rows: string[][], align: ('l' | 'r')[]): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `|${align.map((a) => (a === 'r' ? '---:' : '---')).join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ];
}

function textTable(header: string[], rows: string[][], align: ('l' | 'r')[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (align[i] === 'r' ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}

const COMPARISON_HEADER = ['', 'ours', 'TF.js webgpu', 'ours ÷ TF.js', 'target'];
const COMPARISON_ALIGN: ('l' | 'r')[] = ['l', 'r', 'r', 'r', 'l'];
const KERNEL_HEADER = ['kernel', 'pass', 'K', 'ms/call', 'GPU ms', 'GFLOP/s', 'GB/s', 'roofline'];
const KERNEL_ALIGN: ('l' | 'r')[] = ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r'];

function rooflineLines(r: KernelsReport): string[] {
  const roof = r.ours.roofline;
  if (!roof) return ['Roofline: not measured.'];
  return [
    `Roofline (measured proxies on this adapter): compute ${roof.gflops === null ? '— (no square matmul ran)' : `${roof.gflops.toFixed(3)} GFLOP/s (${roof.gflopsFrom})`}; ` +
      `bandwidth ${roof.gbs.toFixed(2)} GB/s (${roof.gbsFrom}; copyBufferToBuffer ${roof.copyBufferGbs.toFixed(2)}, WGSL copy kernel ${roof.copyKernelGbs.toFixed(2)}, read + write bytes).`,
  ];
}

function skippedLines(r: KernelsReport): string[] {
  const lines = r.ours.skipped.map((s) => `- ${s.name}: ${s.reason}`);
  if (r.ours.mlpStepSkipped) lines.push(`- our MLP training step: ${r.ours.mlpStepSkipped}`);
  if (r.tfjs.error) lines.push(`- TF.js: ${r.tfjs.error}`);
  return lines;
}

/** The console report (stdout without --json). */
export function renderConsole(r: KernelsReport): string {
  const skipped = skippedLines(r);
  return [
    `adapter: ${r.adapter.summary} (${r.adapter.driver}); TF.js on ${r.tfjs.backend ? `${r.tfjs.backend.backend}, ${r.tfjs.backend.adapter}` : '—'}`,
    `${r.run.cpu}, ${r.run.cores} cores, Node ${r.run.node}; ${r.run.date}; ${r.run.command}${r.run.quick ? ' (quick: few repetitions)' : ''}`,
    `load average ${r.run.loadAverage.map((l) => l.toFixed(1)).join(' → ')} on ${r.run.cores} cores; ${(r.run.seconds / 60).toFixed(1)} min`,
    '',
    'ours vs TF.js, same adapter, same process:',
    ...textTable(COMPARISON_HEADER, comparisonRows(r), COMPARISON_ALIGN),
    '',
    'our kernels (width 128, 16,384 rows):',
    ...textTable(KERNEL_HEADER, kernelRows(r), KERNEL_ALIGN),
    '',
    ...rooflineLines(r),
    ...(skipped.length > 0 ? ['', 'skipped:', ...skipped] : []),
    '',
  ].join('\n');
}

/** The "## Kernels" section of docs/benchmarks.md, title line included. */
export function renderSection(r: KernelsReport): string {
  const s = r.mlpSpec;
  const skipped = skippedLines(r);
  return [
    `## ${KERNELS_SECTION}`,
    '',
    'Our WGSL kernels at MAD shapes (width 128, batch 128 × T 128 = 16,384 rows), and ours versus',
    "TensorFlow.js 4.22's WebGPU backend, measured side by side in one Node process on the same Dawn",
    'GPU object, hence the same adapter.',
    '',
    `Command: \`${r.run.command}\``,
    '',
    `Adapter: ${r.adapter.summary} (Dawn \`webgpu\` npm package, Vulkan driver: ${r.adapter.driver}). ` +
      `Machine: ${r.run.cpu}, ${r.run.cores} cores, Node ${r.run.node}, ${r.run.os}. Measured ${r.run.date}` +
      `${r.run.quick ? ' with --quick (few repetitions; indicative only)' : ''}, in ${(r.run.seconds / 60).toFixed(1)} min; ` +
      `1-minute load average ${r.run.loadAverage.map((l) => l.toFixed(1)).join(' at the start, ')} at the end ` +
      `(${r.run.cores} cores: above ${r.run.cores}, other work shared the CPU and every figure is lower than on an idle machine).`,
    '',
    '### Ours versus TF.js',
    '',
    ...markdownTable(COMPARISON_HEADER, comparisonRows(r), COMPARISON_ALIGN),
    '',
    `The MLP step is one training step of the same model on both sides: embedding (V=${s.V}, D=${s.D}) → ` +
      `${s.layers} × [x + W2·gelu_tanh(W1·rmsnorm(x))] (W1 ${s.D}→${s.H}, W2 ${s.H}→${s.D}, no bias) → rmsnorm → ` +
      `head Linear(${s.D}→${s.V}, bias) → softmax cross-entropy, batch ${s.batch} × ${s.seqLen} tokens. TF.js has no ` +
      'AdamW, so both sides run Adam with weight decay 0 (lr 1e-3, β 0.9/0.999, eps 1e-8). TF.js trains it with ' +
      'optimizer.minimize (tf.variableGrads) on tf.train.adam, reading the loss back after each step; ours is ' +
      `${r.ours.mlpStep?.source ?? 'our engine'}: one submit per step (forward, backward, update), which also ` +
      'computes the gradient norm and the accuracy counters that the TF.js side skips. Each side takes one ' +
      `untimed warm-up step (shader compilation), then ${r.ours.mlpStep?.steps ?? '—'} (ours, queued back to back) ` +
      `and ${r.tfjs.mlpStep?.steps ?? '—'} (TF.js) timed steps` +
      `${r.tfjs.mlpStep ? `; TF.js's warm-up step took ${(r.tfjs.mlpStep.warmupMs / 1000).toFixed(1)} s` : ''}. ` +
      `Our step is timed before and after TF.js's, the better kept. Matmul (n×n·n×n, forward): TF.js is timed ` +
      'as K tf.matMul calls and one await of the last result, after a warm-up call; ours as K submits awaited ' +
      `once, after a warm-up submit. The two sides alternate (ours n, then TF.js n, for each n) for ` +
      `${r.run.quick ? 'one round' : 'two rounds'} and each keeps its best round, so a burst of other work on the ` +
      'machine cannot land on one side only.',
    '',
    '### Our kernels',
    '',
    ...markdownTable(KERNEL_HEADER, kernelRows(r), KERNEL_ALIGN),
    '',
    'Method: a graph holding only that op is traced and compiled once; after one warm-up submit, K submits ' +
      '(K sized to ~1.5 s of work: at least 2, or 1 for a call longer than that) are queued back to back and awaited once with ' +
      '`queue.onSubmittedWorkDone`: "ms/call" is that wall clock ÷ K. "GPU ms" is the median time of the ' +
      "compute pass in those K submits, from `timestamp-query` when the adapter has it. A call slower than " +
      '10 s is timed once (its warm-up submit, K = 1) and the heavier passes of that op are skipped, to keep ' +
      'the run within minutes. Gradient buffers are not re-cleared between timed backward calls. GFLOP/s and GB/s divide the FLOP and byte counts stated ' +
      'per op in `bench/kernels.ts` (matmul 2MKN forward, 6MKN forward+backward; bytes count each operand ' +
      'read once and each result written once) by ms/call. ' +
      `Matmuls run the GEMM kernel matmul.ts picks for this adapter ('${r.ours.matmulVariant}'); rows marked ` +
      "[… kernel] time matmul.ts's other kernels at 512².",
    '',
    ...rooflineLines(r),
    '',
    'How the roofline was obtained: WebGPU does not report an adapter\'s peak, and SwiftShader\'s depends ' +
      'on the CPU, so both roofs are measured in the same run. The compute roof is the best GFLOP/s of our ' +
      'own GEMMs (the square ones up to 1024×1024, and the Linear shapes); the bandwidth roof is the best of a 64 MiB ' +
      'copyBufferToBuffer and a WGSL copy kernel (vec4, 16 per invocation, grid-stride), counting bytes read ' +
      'plus bytes written, each measured before and after the kernels (the better kept); the copy kernel\'s ' +
      'figure is what WGSL code reaches here. ' +
      'A kernel\'s "roofline" column is its GFLOP/s ÷ min(compute roof, bandwidth roof × its FLOP per ' +
      'byte) — GB/s ÷ bandwidth roof for the FLOP-free embedding gather — so it says how close each ' +
      'kernel is to what this adapter demonstrably does, not to a datasheet figure.',
    ...(skipped.length > 0 ? ['', 'Not measured in this run:', '', ...skipped] : []),
    '',
  ].join('\n');
}

/** Writes the Kernels section into docs/benchmarks.md, leaving every other section as it is. */
export function writeKernelsSection(r: KernelsReport, path = BENCHMARKS_DOC): void {
  writeSection(KERNELS_SECTION, renderSection(r), path);
}
