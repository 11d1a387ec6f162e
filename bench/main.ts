// `npm run bench -- <benchmark> [flags]`: the benchmark programs of bench/, one subcommand each.
//   kernels  our WGSL kernels at MAD shapes, and ours versus TF.js (webgpu) on the same adapter
//   data     dataset generation time for every MAD benchmark setting (bench/dataGeneration.ts)
//   layers   forward + backward per layer at MAD shapes, fused vs naive attention and recurrences (bench/layers.ts)
//   bundle   the production bundle: initial load, lazy pages and worker, raw and gzip (bench/bundleSize.ts)
//   step     the whole training step of the paper's architectures per WebGPU implementation, and a PyTorch twin (bench/step.ts)
//   profile  one model's training step, GPU time per kernel (bench/profile.ts)
// Progress goes to stderr; results to stdout; full runs also write their docs/benchmarks.md section.

import { cpus, loadavg, platform, release } from 'node:os';
import { formatDuration } from '../src/cli/progress.ts';
import { matmulVariantFor } from '../src/engine/ops/matmul/matmul.ts';
import {
  FULL_BUDGET,
  MLP_STEP_SPEC,
  QUICK_BUDGET,
  QUICK_MLP_STEP_SPEC,
  acquireBenchGpu,
  applyRoofline,
  createDawnGpu,
  createOursMlpStep,
  describeAdapter,
  fmtMs,
  measureCopyBandwidth,
  measureOurKernels,
  mlpStepFlop,
  prepareSquareMatmul,
  rooflineFrom,
  timeOursMlpStep,
  type BenchTrainingStep,
} from './kernels.ts';
import { BENCHMARKS_DOC, writeSection } from './docSection.ts';
import type { LayersJson } from './layers.ts';
import { NAIVE_DELTA_RULE_MAX_T } from './recurrenceComparison.ts';
import { PROFILE_USAGE, ProfileUsageError, parseProfileFlags, profileStep, renderProfile } from './profile.ts';
import { STEP_USAGE, StepUsageError, runStep as measureStep } from './step.ts';
import { KERNELS_SECTION, TARGETS, renderConsole, writeKernelsSection, type KernelsReport } from './report.ts';
import { initTfjs, timeTfjsMatmul, timeTfjsMlpStep, type TfjsMatmulResult } from './tfjsBaseline.ts';

const USAGE = [
  'usage: npm run bench -- <benchmark> [flags]',
  '',
  'benchmarks:',
  '  kernels  our kernels at MAD shapes and ours vs TF.js (webgpu backend) on the same adapter',
  '  data     time to build the datasets of all 66 MAD benchmark settings',
  '  layers   forward + backward of every layer at d=128, B×T tokens; fused vs naive attention and',
  '           recurrences (delta-net, gated-delta-net, mamba2)',
  '  protocols  compute of each protocol profile (configs/protocols) relative to full; nothing timed',
  '  bundle   vite build, then the initial load, lazy chunks and worker chunk of dist/, raw and gzip',
  '  step     one training step (forward, backward, AdamW) of mA-Sg-mA-Sg and H-Sg-H-Sg at B 16, T 128,',
  '           d 128 on each WebGPU implementation present; --torch times a PyTorch twin beside it',
  '  profile  where one model\'s training step spends its GPU time: each launch timed in its own pass, summed per',
  '           kernel (needs timestamp-query); prints only, writes nothing',
  '',
  'kernels flags:',
  '  --json           print the figures as one JSON object {adapter, ours, tfjs, ratio, ...} on stdout',
  '                   (use `npm run -s` so npm adds no header to stdout)',
  '  --quick          few repetitions, no 1024² matmul or V=8192 cross-entropy, MLP step on 4×128',
  '                   tokens instead of 32×128 (a smoke test; does not write docs/benchmarks.md)',
  '  --no-write       do not write the "Kernels" section of docs/benchmarks.md',
  '  --filter TEXT    only our kernel cases whose name contains TEXT (e.g. "matmul", "softmax"):',
  '                   no roofline, MLP steps or TF.js; does not write docs/benchmarks.md',
  '',
  'layers flags:',
  '  --batch B        sequences per call (default 128, MAD\'s batch)',
  '  --seq-lens LIST  comma-separated T values (default 128,1024)',
  '  --reps K         timed calls per layer after one warm-up (default 3)',
  '  --filter TEXT    only layers whose name contains TEXT (does not write docs/benchmarks.md)',
  '  --recurrences    only the fused-vs-naive recurrences (delta-net, gated-delta-net, mamba2): no',
  '                   per-layer rows or attention; writes only the "Recurrences: fused vs naive" section.',
  `                   The naive delta rule is unrolled over T and runs only up to T=${NAIVE_DELTA_RULE_MAX_T}`,
  '  --no-write       do not write the "Layers" and "Recurrences: fused vs naive" sections of docs/benchmarks.md',
  '  --json           print the figures as one JSON object {adapter, layers, attention, recurrences, command, machine}',
  '                   on stdout instead of the sections (use `npm run -s`)',
  '',
  'bundle flags:',
  '  --no-build       measure the dist/ already built instead of running vite build',
  '  --no-write       do not write the "Bundle size" section of docs/benchmarks.md',
  '',
  ...STEP_USAGE,
  '',
  ...PROFILE_USAGE,
].join('\n');

interface KernelsFlags {
  json: boolean;
  quick: boolean;
  write: boolean;
  filter?: string;
}

function parseKernelsFlags(argv: string[]): KernelsFlags {
  const flags: KernelsFlags = { json: false, quick: false, write: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--json') flags.json = true;
    else if (arg === '--filter') {
      const text = argv[++i];
      if (text === undefined) throw new UsageError('--filter needs a TEXT');
      flags.filter = text;
      flags.write = false;
    } else if (arg === '--quick') flags.quick = true;
    else if (arg === '--no-write') flags.write = false;
    else throw new UsageError(`unknown flag for kernels: ${arg}`);
  }
  return flags;
}

class UsageError extends Error {}

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/** TF.js matmul repetitions per n: its n=512 product takes seconds on SwiftShader. */
const TFJS_MATMUL_REPS = { full: { 128: 20, 256: 6, 512: 2 }, quick: { 128: 3, 256: 2, 512: 1 } } as const;
const MATMUL_SIZES = [128, 256, 512] as const;
/**
 * Ours and TF.js's matmuls are timed in alternating rounds (ours n, TF.js n, next n…) and each
 * side keeps its best round, so a burst of other work on a shared machine cannot land on one
 * side only; likewise our MLP step is timed before and after TF.js's, keeping the better.
 */
const COMPARISON_ROUNDS = { full: 2, quick: 1 } as const;

async function runKernels(argv: string[]): Promise<number> {
  const flags = parseKernelsFlags(argv);
  const started = performance.now();
  const loadAtStart = loadavg()[0]!;
  const budget = flags.quick ? QUICK_BUDGET : FULL_BUDGET;
  const elapsed = (): string => formatDuration((performance.now() - started) / 1000);

  log(`kernels benchmark${flags.quick ? ' (quick)' : ''}: SwiftShader is a CPU, a full run takes a few minutes; progress follows`);
  const shared = await createDawnGpu();
  const gpu = await acquireBenchGpu(shared);
  const adapterSummary = describeAdapter(gpu.adapterInfo);
  log(`adapter: ${adapterSummary} (${shared.driver})${gpu.timestamps ? ', timestamp-query' : ''}`);

  // 1. Our kernels, then the roofline proxies. Bandwidth is measured before and after the kernels
  // and the better kept, so one burst of other work on a shared machine does not set the roof.
  if (flags.filter === undefined) log(`[${elapsed()}] bandwidth proxies (buffer copy, copy kernel)`);
  const copyBefore = flags.filter === undefined ? await measureCopyBandwidth(gpu, budget, flags.quick) : null;
  const ours = await measureOurKernels(gpu, { quick: flags.quick, budget, log, filter: flags.filter });
  if (flags.filter !== undefined) {
    // Kernel authors' loop: just the matching cases, no roofline, no MLP steps, no TF.js.
    if (flags.json) {
      console.log(JSON.stringify({ adapter: adapterSummary, ours: { kernels: ours.figures, skipped: ours.skipped } }, null, 2));
    } else {
      for (const f of ours.figures) {
        const gpuTime = f.gpuMs === null ? '' : ` (GPU ${fmtMs(f.gpuMs)} ms)`;
        console.log(`${f.name}  ${f.pass}: ${fmtMs(f.ms)} ms/call${gpuTime}, ${f.gflops.toFixed(3)} GFLOP/s, ${f.gbs.toFixed(2)} GB/s`);
      }
      for (const s of ours.skipped) console.log(`skipped ${s.name}: ${s.reason}`);
    }
    gpu.device.destroy();
    return ours.figures.length > 0 ? 0 : 1;
  }
  log(`[${elapsed()}] bandwidth proxies (buffer copy, copy kernel)`);
  const copyAfter = await measureCopyBandwidth(gpu, budget, flags.quick);
  const copy = {
    copyBufferGbs: Math.max(copyBefore?.copyBufferGbs ?? 0, copyAfter.copyBufferGbs),
    copyKernelGbs: Math.max(copyBefore?.copyKernelGbs ?? 0, copyAfter.copyKernelGbs),
  };
  const roofline = rooflineFrom(ours.figures, copy);
  applyRoofline(ours.figures, roofline);

  // 2. Our MLP training step (timed again after TF.js's; the better is kept).
  const spec = flags.quick ? QUICK_MLP_STEP_SPEC : MLP_STEP_SPEC;
  const flop = mlpStepFlop(spec);
  const oursSteps = flags.quick ? 1 : 2;
  let oursMlp: KernelsReport['ours']['mlpStep'] = null;
  let oursMlpSkipped: string | null = null;
  let oursStep: BenchTrainingStep | null = null;
  const timeOursStep = async (): Promise<void> => {
    if (!oursStep) return;
    const result = await timeOursMlpStep(gpu, oursStep, oursSteps);
    log(`    ours: ${fmtMs(result.msPerStep)} ms/step (warm-up ${fmtMs(result.warmupMs)} ms)`);
    if (!oursMlp || result.msPerStep < oursMlp.msPerStep) oursMlp = { ...result, gflops: flop / (result.msPerStep * 1e6) };
  };
  log(`[${elapsed()}] ours: MLP training step`);
  try {
    oursStep = await createOursMlpStep(gpu, spec);
    await timeOursStep();
  } catch (err) {
    oursMlpSkipped = message(err);
    oursStep = null;
    log(`    skipped: ${oursMlpSkipped}`);
  }

  // 3. TF.js on the same GPU object, matmuls interleaved with ours.
  const tfjs: KernelsReport['tfjs'] = { backend: null, matmul: [], mlpStep: null, error: null };
  const oursMatmul: KernelsReport['ours']['matmul'] = {};
  try {
    log(`[${elapsed()}] TF.js: starting its webgpu backend on the same GPU`);
    const { tf, info } = await initTfjs(shared.gpu);
    tfjs.backend = info;
    const prepared = await Promise.all(MATMUL_SIZES.map((n) => prepareSquareMatmul(gpu, n)));
    const rounds = flags.quick ? COMPARISON_ROUNDS.quick : COMPARISON_ROUNDS.full;
    for (let round = 1; round <= rounds; round++) {
      for (const n of MATMUL_SIZES) {
        log(`[${elapsed()}] matmul n=${n}, round ${round}/${rounds}: ours, then TF.js`);
        const ours = prepared.find((p) => p.n === n);
        if (ours) {
          const t = await ours.time(budget);
          const best = oursMatmul[String(n)];
          if (!best || t.gflops > best.gflops) oursMatmul[String(n)] = { ms: t.ms, gflops: t.gflops };
          log(`    ours: ${fmtMs(t.ms)} ms/call, ${t.gflops.toFixed(3)} GFLOP/s`);
        }
        const reps = (flags.quick ? TFJS_MATMUL_REPS.quick : TFJS_MATMUL_REPS.full)[n];
        const result: TfjsMatmulResult = await timeTfjsMatmul(tf, n, reps);
        const index = tfjs.matmul.findIndex((m) => m.n === n);
        if (index < 0) tfjs.matmul.push(result);
        else if (result.gflops > tfjs.matmul[index]!.gflops) tfjs.matmul[index] = result;
        log(`    TF.js: ${fmtMs(result.ms)} ms/call, ${result.gflops.toFixed(3)} GFLOP/s`);
      }
    }
    for (const p of prepared) p.destroy();
    log(`[${elapsed()}] TF.js: MLP training step (its first step compiles shaders and takes long)`);
    // One timed step: a TF.js step takes about a minute on SwiftShader, so its spread is small.
    const steps = 1;
    const result = await timeTfjsMlpStep(tf, steps, spec, (done, ms) =>
      log(done === 0 ? `    warm-up step: ${(ms / 1000).toFixed(1)} s` : `    step ${done}/${steps}: ${(ms / 1000).toFixed(1)} s elapsed`),
    );
    tfjs.mlpStep = { ...result, gflops: flop / (result.msPerStep * 1e6) };
    log(`    TF.js: ${fmtMs(result.msPerStep)} ms/step (loss ${result.lossFirst.toFixed(3)} → ${result.lossLast.toFixed(3)})`);
  } catch (err) {
    tfjs.error = message(err);
    log(`    TF.js failed: ${tfjs.error}`);
  }
  if (oursStep) {
    log(`[${elapsed()}] ours: MLP training step again`);
    await timeOursStep();
    oursStep.destroy();
  }

  // 4. Ratios and the report.
  const matmulRatio: KernelsReport['ratio']['matmul'] = {};
  for (const n of MATMUL_SIZES) {
    const ours = oursMatmul[String(n)] ?? null;
    oursMatmul[String(n)] = ours;
    const t = tfjs.matmul.find((m) => m.n === n);
    matmulRatio[String(n)] = ours && t ? ours.gflops / t.gflops : null;
  }
  const mlpRatio = oursMlp && tfjs.mlpStep ? tfjs.mlpStep.msPerStep / oursMlp.msPerStep : null;
  const cpu = cpus();
  const report: KernelsReport = {
    adapter: { ...gpu.adapterInfo, summary: adapterSummary, driver: shared.driver, features: gpu.features },
    run: {
      date: new Date().toISOString().slice(0, 10),
      command: ['npm run bench --', 'kernels', ...argv.filter((a) => a !== '--no-write')].join(' '),
      node: process.version,
      cpu: cpu[0]?.model ?? 'unknown CPU',
      cores: cpu.length,
      os: `${platform()} ${release()}`,
      loadAverage: [loadAtStart, loadavg()[0]!],
      quick: flags.quick,
      seconds: (performance.now() - started) / 1000,
    },
    ours: {
      kernels: ours.figures,
      skipped: ours.skipped,
      matmulVariant: matmulVariantFor(gpu.target),
      roofline,
      matmul: oursMatmul,
      mlpStep: oursMlp,
      mlpStepSkipped: oursMlpSkipped,
    },
    tfjs,
    ratio: {
      matmul: matmulRatio,
      mlpStep: mlpRatio,
      targets: TARGETS,
      meets: {
        matmul512: matmulRatio['512'] == null ? null : matmulRatio['512'] >= TARGETS.matmul512,
        mlpStep: mlpRatio === null ? null : mlpRatio >= TARGETS.mlpStep,
      },
    },
    mlpSpec: spec,
  };

  if (flags.json) console.log(JSON.stringify(report, null, 2));
  else console.log(renderConsole(report));
  if (flags.write && !flags.quick) {
    writeKernelsSection(report);
    log(`wrote the "${KERNELS_SECTION}" section of ${BENCHMARKS_DOC}`);
  } else {
    log(`docs/benchmarks.md left as it is (${flags.quick ? '--quick' : '--no-write'})`);
  }
  log(`done in ${elapsed()}`);
  gpu.device.destroy();
  return 0;
}

async function runData(argv: string[]): Promise<number> {
  if (argv.length > 0) throw new UsageError(`data takes no flags, got ${argv.join(' ')}`);
  const { measureDataGeneration, renderDataGenerationSection } = await import('./dataGeneration.ts');
  log('data generation benchmark: building every MAD benchmark setting in memory');
  const figures = measureDataGeneration((done, total, setting) => log(`[${done}/${total}] ${setting.task}`));
  const section = renderDataGenerationSection(figures);
  writeSection('Data generation', section);
  console.log(section);
  log(`wrote the "Data generation" section of ${BENCHMARKS_DOC}`);
  return 0;
}

async function runLayers(argv: string[]): Promise<number> {
  const flags = { batch: 128, seqLens: [128, 1024], reps: 3, write: true, json: false, filter: undefined as string | undefined, recurrencesOnly: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    if (arg === '--batch') flags.batch = positiveInteger(arg, value());
    else if (arg === '--seq-lens') flags.seqLens = value().split(',').map((v) => positiveInteger(arg, v));
    else if (arg === '--reps') flags.reps = positiveInteger(arg, value());
    else if (arg === '--filter') flags.filter = value();
    else if (arg === '--recurrences') flags.recurrencesOnly = true;
    else if (arg === '--no-write') flags.write = false;
    else if (arg === '--json') flags.json = true;
    else throw new UsageError(`unknown flag for layers: ${arg}`);
  }
  const { measureLayers, renderLayersSection } = await import('./layers.ts');
  const { RECURRENCES_SECTION, renderRecurrenceSection } = await import('./recurrenceComparison.ts');
  const what = flags.recurrencesOnly ? 'fused vs naive recurrences' : 'forward + backward of every layer';
  log(`layers benchmark: ${what}, B=${flags.batch}, T=${flags.seqLens.join(', ')}`);
  const report = await measureLayers({ ...flags, log });
  const command = ['npm run bench -- layers', ...argv.filter((a) => a !== '--no-write' && a !== '--json')].join(' ');
  const load = loadavg()[0]!;
  const shared = load > cpus().length ? ` (above the ${cpus().length} cores: other work shared the CPU, so the ms are inflated; compare ratios within one run)` : '';
  const machine = `Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}, ${platform()} ${release()}. Measured ${new Date().toISOString().slice(0, 10)}; 1-minute load average ${load.toFixed(1)} at the end${shared}.`;
  const write = flags.write && flags.filter === undefined;
  if (flags.json) console.log(JSON.stringify({ ...report, command, machine } satisfies LayersJson, null, 2));
  if (!flags.recurrencesOnly) {
    const section = renderLayersSection(report, command, machine);
    if (!flags.json) console.log(section);
    if (write) {
      writeSection('Layers', section);
      log(`wrote the "Layers" section of ${BENCHMARKS_DOC}`);
    }
  }
  const recurrences = renderRecurrenceSection(report.recurrences, report.recurrencesSkipped, report.adapter, command, machine);
  if (!flags.json) console.log(`\n${recurrences}`);
  if (write) {
    writeSection(RECURRENCES_SECTION, recurrences);
    log(`wrote the "${RECURRENCES_SECTION}" section of ${BENCHMARKS_DOC}`);
  }
  return report.recurrences.every((r) => r.agrees) ? 0 : 1;
}

async function runProtocols(argv: string[]): Promise<number> {
  if (argv.length > 0) throw new UsageError(`protocols takes no flags, got ${argv.join(' ')}`);
  const { PROTOCOLS_SECTION, renderProtocolsSection } = await import('./protocols.ts');
  const section = renderProtocolsSection();
  writeSection(PROTOCOLS_SECTION, section);
  console.log(section);
  log(`wrote the "${PROTOCOLS_SECTION}" section of ${BENCHMARKS_DOC}`);
  return 0;
}

async function runStep(argv: string[]): Promise<number> {
  return measureStep(argv, log);
}

async function runProfile(argv: string[]): Promise<number> {
  const flags = parseProfileFlags(argv);
  const gpu = await acquireBenchGpu(await createDawnGpu());
  const profile = await profileStep(gpu, flags, log);
  console.log(flags.json ? JSON.stringify(profile, null, 2) : renderProfile(profile, flags.top));
  return 0;
}

async function runBundle(argv: string[]): Promise<number> {
  let build = true;
  let write = true;
  for (const arg of argv) {
    if (arg === '--no-build') build = false;
    else if (arg === '--no-write') write = false;
    else throw new UsageError(`unknown flag for bundle: ${arg}`);
  }
  const { BUNDLE_SECTION, buildApp, measureBundle, renderBundleSection } = await import('./bundleSize.ts');
  if (build) buildApp(log);
  const report = measureBundle();
  const command = ['npm run bench -- bundle', ...argv.filter((a) => a !== '--no-write')].join(' ');
  const section = renderBundleSection(report, command, `measured ${new Date().toISOString().slice(0, 10)}`);
  console.log(section);
  if (write) {
    writeSection(BUNDLE_SECTION, section);
    log(`wrote the "${BUNDLE_SECTION}" section of ${BENCHMARKS_DOC}`);
  }
  return 0;
}

function positiveInteger(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} needs positive integers, got '${text}'`);
  return n;
}

const BENCHMARKS: Record<string, (argv: string[]) => Promise<number>> = {
  kernels: runKernels,
  data: runData,
  layers: runLayers,
  protocols: runProtocols,
  bundle: runBundle,
  step: runStep,
  profile: runProfile,
};

function message(err: unknown): string {
  return err instanceof Error ? err.message.split('\n')[0]! : String(err);
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    console.error(USAGE);
    return 2;
  }
  if (name === '--help' || name === '-h') {
    console.log(USAGE);
    return 0;
  }
  const run = BENCHMARKS[name];
  if (!run) {
    console.error(`unknown benchmark '${name}' (choose: ${Object.keys(BENCHMARKS).join(', ')})\n\n${USAGE}`);
    return 2;
  }
  try {
    return await run(rest);
  } catch (err) {
    if (err instanceof UsageError || err instanceof StepUsageError || err instanceof ProfileUsageError) {
      console.error(`${err.message}\n\n${USAGE}`);
      return 2;
    }
    throw err;
  }
}

process.exitCode = await main(process.argv.slice(2));
