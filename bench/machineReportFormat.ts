// The pure half of `npm run report` (bench/machineReport.ts): the figures one report gathers, the
// file name it is written under (adapterSlug), the parsers of the parts' text output (selftest's
// lines, `mad benchmark --plan`'s table, `mad benchmark`'s run lines), the extrapolation of a
// quick protocol cut short by its time budget, and the markdown. The kernels, layers and step
// sections are the bench's own renderers, fed the JSON each part printed.

import type { AdapterSummary, GpuLimits } from '../src/gpu/device.ts';
import { fmtMs, type KernelFigure, type SkippedCase } from './kernels.ts';
import { renderLayersSection, type LayersJson } from './layers.ts';
import { renderRecurrenceSection } from './recurrenceComparison.ts';
import { renderSection as renderKernelsSection, type KernelsReport } from './report.ts';
import { renderStepSection, type StepReport } from './step.ts';

export const PART_NAMES = ['selftest', 'kernels', 'layers', 'step', 'protocol'] as const;
export type PartName = (typeof PART_NAMES)[number];

/** The model whose quick protocol a report times, and the layers that build it. */
export const PROTOCOL_MODEL = { id: 'mA-Sg-mA-Sg', layers: ['mh-attention', 'swiglu', 'mh-attention', 'swiglu'] } as const;

/** One line of a part's stdout with the seconds since the part started when it arrived. */
export interface TimedLine {
  t: number;
  text: string;
}

export interface PartRecord {
  name: PartName;
  /** Exactly what ran, as typed in the repository (the device bundle runs the same entry points, bundled). */
  commands: string[];
  status: 'ok' | 'failed' | 'stopped' | 'skipped';
  /** Why it failed, stopped or was skipped. */
  note?: string;
  seconds: number;
  budgetSeconds: number | null;
  exitCode: number | null;
}

export interface SelftestCheck {
  name: string;
  comparisons: number;
  failed: string[];
  /** Time from the previous check's last line to this one's: the check's run time, to the resolution of its output. */
  seconds: number;
}

export interface SelftestFigures {
  adapter: string;
  passed: number;
  failed: number;
  checks: SelftestCheck[];
}

/** `npm run bench -- kernels --filter TEXT --json`: our matching cases only. */
export interface KernelsFilterJson {
  adapter: string;
  ours: { kernels: KernelFigure[]; skipped: SkippedCase[] };
}

export interface PlanRow {
  task: string;
  runs: number;
  trainTokens: number;
  evalTokens: number;
}

export interface ProtocolRunFigures {
  /** 1-based, as `mad benchmark` prints it. */
  index: number;
  runDir: string;
  task: string;
  /** From its start line to its result line; null for the run the budget stopped. */
  seconds: number | null;
  testAcc: number | null;
}

export interface Extrapolation {
  seconds: number;
  fromRuns: number;
  ofRuns: number;
  /** The finished runs' share of the profile's compute (trained + evaluated/3 token positions). */
  computeShare: number;
}

export interface ProtocolFigures {
  model: string;
  profile: string;
  planText: string;
  plan: PlanRow[];
  totalRuns: number;
  runs: ProtocolRunFigures[];
  /** Seconds before the first run started: the GPU check gate, data generation, planning. */
  setupSeconds: number;
  wallSeconds: number;
  scores: Record<string, number>;
  mean: number | null;
  /** Set when the budget stopped the profile before its last run. */
  extrapolated: Extrapolation | null;
}

export interface MachineReport {
  command: string;
  /** How the parts were started: tsx in the repository, or the device bundle. */
  runner: string;
  quick: boolean;
  machine: {
    cpu: string;
    cores: number;
    node: string;
    os: string;
    date: string;
    /** 1-, 5- and 15-minute load averages before the first part and after the last. */
    loadBefore: number[];
    loadAfter: number[];
    seconds: number;
    budgetSeconds: number | null;
  };
  adapter: AdapterSummary & { driver: string; target: string; features: readonly string[]; limits: GpuLimits };
  parts: PartRecord[];
  selftest?: SelftestFigures;
  kernels?: KernelsReport | KernelsFilterJson;
  layers?: LayersJson;
  step?: StepReport;
  protocol?: ProtocolFigures;
  /** Why the quick protocol did not run (a CPU adapter, or not selected). */
  protocolSkipped?: string;
}

// ---------------------------------------------------------------------------------------------
// Names

/**
 * The report's file name: vendor, then the CPU implementation by its Vulkan driver's name
 * (lavapipe reports itself as llvmpipe) or else the architecture and model, each word once:
 * mesa-lavapipe, google-swiftshader, nvidia-hopper-h100-80gb-hbm3.
 */
export function adapterSlug(a: Pick<AdapterSummary, 'vendor' | 'architecture' | 'device' | 'description'>): string {
  const text = `${a.vendor} ${a.architecture} ${a.device} ${a.description}`.toLowerCase();
  const parts = /llvmpipe|lavapipe/.test(text)
    ? [a.vendor, 'lavapipe']
    : /swiftshader/.test(text)
      ? [a.vendor, 'swiftshader']
      : [a.vendor, a.architecture, a.description.replace(/\([^)]*\)/g, ' ')];
  const words = [...new Set(parts.join(' ').toLowerCase().split(/[^a-z0-9]+/).filter((w) => w !== ''))];
  return words.join('-').slice(0, 60).replace(/-$/, '') || 'unknown-adapter';
}

export function describeAdapterSummary(a: Pick<AdapterSummary, 'vendor' | 'architecture' | 'description'>): string {
  return [a.vendor, a.architecture, a.description].filter((s) => s !== '').join(' / ') || 'unknown adapter';
}

// ---------------------------------------------------------------------------------------------
// Parsers

const OUTCOME = /^(pass|FAIL) {2}(.+?) — /;

/** `mad selftest`'s lines: one per comparison ("pass  NAME — what: …" or "FAIL  NAME — …"), then "N passed, M failed". */
export function parseSelftest(lines: readonly TimedLine[]): SelftestFigures {
  const figures: SelftestFigures = { adapter: '', passed: 0, failed: 0, checks: [] };
  let previous = 0;
  for (const line of lines) {
    if (line.text.startsWith('adapter: ')) {
      figures.adapter = line.text.slice('adapter: '.length);
      previous = line.t;
      continue;
    }
    const match = OUTCOME.exec(line.text);
    if (!match) continue;
    const status = match[1]!;
    const name = match[2]!;
    let check = figures.checks.at(-1);
    if (check?.name !== name) {
      check = { name, comparisons: 0, failed: [], seconds: 0 };
      figures.checks.push(check);
    }
    check.comparisons++;
    check.seconds += line.t - previous;
    previous = line.t;
    if (status === 'FAIL') {
      figures.failed++;
      check.failed.push(line.text.slice(line.text.indexOf(' — ') + 3));
    } else figures.passed++;
  }
  return figures;
}

const TOKEN_UNIT: Record<string, number> = { k: 1e3, M: 1e6, G: 1e9 };
const PLAN_ROW = /^(\S+)\s+\d+\s+\d+\s+(\d+)\s+[\d,]+\s+([\d.]+) ([kMG])\s+([\d.]+) ([kMG])$/;

/** The task rows of `mad benchmark --plan`'s table (the total row has no epochs and is left out). */
export function parsePlan(text: string): PlanRow[] {
  const rows: PlanRow[] = [];
  for (const line of text.split('\n')) {
    const m = PLAN_ROW.exec(line.trim());
    if (!m) continue;
    rows.push({ task: m[1]!, runs: Number(m[2]), trainTokens: Number(m[3]) * TOKEN_UNIT[m[4]!]!, evalTokens: Number(m[5]) * TOKEN_UNIT[m[6]!]! });
  }
  return rows;
}

/** The cost `mad benchmark --plan` counts: trained + evaluated/3 token positions (src/train/protocolCompute.ts). */
export const planCost = (row: PlanRow): number => row.trainTokens + row.evalTokens / 3;

const RUN_START = /^\[(\d+)\/(\d+)\] (\S+)$/;
const SCORE = /^(\S+): MAD score ([\d.]+) over/;
const MEAN = /^Mean across Tasks: ([\d.]+)$/;

/**
 * `mad benchmark`'s stdout: "[i/M] runDir" when a run starts, its results row ("  train_acc …
 * test_acc X …") when it ends, "task: MAD score X over …" per task, "Mean across Tasks: X".
 * Runs are numbered in the plan's task order, which gives each run its task.
 */
export function parseBenchmark(lines: readonly TimedLine[], planText: string, wallSeconds: number): ProtocolFigures {
  const plan = parsePlan(planText);
  const taskOf = (index: number): string => {
    let end = 0;
    for (const row of plan) if (index <= (end += row.runs)) return row.task;
    return '?';
  };
  const runs: ProtocolRunFigures[] = [];
  const started = new Map<number, number>();
  const scores: Record<string, number> = {};
  let totalRuns = plan.reduce((n, r) => n + r.runs, 0);
  let mean: number | null = null;
  let current: ProtocolRunFigures | null = null;
  for (const line of lines) {
    const start = RUN_START.exec(line.text);
    if (start) {
      totalRuns = Number(start[2]);
      current = { index: Number(start[1]), runDir: start[3]!, task: taskOf(Number(start[1])), seconds: null, testAcc: null };
      runs.push(current);
      started.set(current.index, line.t);
      continue;
    }
    const acc = /^\s+train_acc .*\btest_acc (\S+)/.exec(line.text);
    if (acc && current) {
      current.seconds = line.t - started.get(current.index)!;
      current.testAcc = acc[1] === 'nan' ? null : Number(acc[1]);
      current = null;
      continue;
    }
    const score = SCORE.exec(line.text);
    if (score) scores[score[1]!] = Number(score[2]);
    const m = MEAN.exec(line.text);
    if (m) mean = Number(m[1]);
  }
  const firstStart = runs.length > 0 ? started.get(runs[0]!.index)! : wallSeconds;
  const figures: ProtocolFigures = {
    model: PROTOCOL_MODEL.id,
    profile: 'quick',
    planText,
    plan,
    totalRuns,
    runs,
    setupSeconds: firstStart,
    wallSeconds,
    scores,
    mean,
    extrapolated: null,
  };
  figures.extrapolated = extrapolate(figures);
  return figures;
}

/**
 * The whole profile's wall time from the runs that finished: their seconds scaled by the plan's
 * compute (all runs' cost ÷ the finished runs' cost, a task's cost shared evenly by its runs),
 * plus the setup before the first run. Null when every run finished (nothing to extrapolate) or none did.
 */
export function extrapolate(p: Pick<ProtocolFigures, 'plan' | 'runs' | 'totalRuns' | 'setupSeconds'>): Extrapolation | null {
  const finished = p.runs.filter((r) => r.seconds !== null);
  if (finished.length === p.totalRuns || finished.length === 0) return null;
  const runCost = (task: string): number => {
    const row = p.plan.find((r) => r.task === task);
    return row ? planCost(row) / row.runs : 0;
  };
  const total = p.plan.reduce((sum, r) => sum + planCost(r), 0);
  const done = finished.reduce((sum, r) => sum + runCost(r.task), 0);
  if (done === 0 || total === 0) return null;
  const seconds = finished.reduce((sum, r) => sum + r.seconds!, 0);
  return { seconds: p.setupSeconds + (seconds * total) / done, fromRuns: finished.length, ofRuns: p.totalRuns, computeShare: done / total };
}

// ---------------------------------------------------------------------------------------------
// Markdown

export function formatSeconds(s: number): string {
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${Math.round(s % 60)} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

const table = (header: string[], rows: string[][], right: boolean[]): string[] => [
  `| ${header.join(' | ')} |`,
  `|${right.map((r) => (r ? '---:' : '---')).join('|')}|`,
  ...rows.map((r) => `| ${r.join(' | ')} |`),
];

const loads = (l: readonly number[]): string => l.map((x) => x.toFixed(2)).join(' / ');

function machineSection(r: MachineReport): string[] {
  const m = r.machine;
  const busy = (m.loadBefore[0] ?? 0) > m.cores ? ` Before the first part the load was above the ${m.cores} cores: other work shared the CPU, so every time is inflated.` : '';
  return [
    '## Machine',
    '',
    `- CPU: ${m.cpu}, ${m.cores} cores; load average (1 / 5 / 15 min) ${loads(m.loadBefore)} before the first part, ${loads(m.loadAfter)} after the last.${busy}`,
    `- Node ${m.node}, ${m.os}; ${m.date}.`,
    `- Ran as ${r.runner}, in ${formatSeconds(m.seconds)}${m.budgetSeconds === null ? '' : ` (time budget ${formatSeconds(m.budgetSeconds)})`}${r.quick ? '; --quick: each part\'s smallest option set, a smoke run whose figures are indicative only' : ''}.`,
  ];
}

function adapterSection(r: MachineReport): string[] {
  const a = r.adapter;
  const subgroups = a.subgroupMinSize === undefined ? 'not reported' : `${a.subgroupMinSize}–${a.subgroupMaxSize}`;
  return [
    '## Adapter',
    '',
    `- ${describeAdapterSummary(a)} (device \`${a.device || '—'}\`)${a.isFallbackAdapter ? ', a fallback adapter' : ''}.`,
    `- Vulkan driver: ${a.driver}; kernel target \`${a.target}\`; subgroup sizes ${subgroups}.`,
    `- Features: ${a.features.join(', ') || 'none'}.`,
    '',
    '<details><summary>Device limits (as the engine requests them: the adapter\'s own where higher than WebGPU\'s defaults)</summary>',
    '',
    ...table(['limit', 'value'], Object.entries(a.limits).map(([k, v]) => [k, v.toLocaleString('en-US')]), [false, true]),
    '',
    '</details>',
  ];
}

function partsSection(r: MachineReport): string[] {
  return [
    '## Parts',
    '',
    ...table(
      ['part', 'status', 'wall', 'budget', 'exit'],
      r.parts.map((p) => [
        p.name,
        p.note ? `${p.status}: ${p.note}` : p.status,
        formatSeconds(p.seconds),
        p.budgetSeconds === null ? '—' : formatSeconds(p.budgetSeconds),
        p.exitCode === null ? '—' : String(p.exitCode),
      ]),
      [false, false, true, true, true],
    ),
  ];
}

const SLOWEST = 5;

function selftestSection(s: SelftestFigures): string[] {
  const failed = s.checks.filter((c) => c.failed.length > 0);
  const slowest = [...s.checks].sort((a, b) => b.seconds - a.seconds).slice(0, SLOWEST);
  return [
    '## Selftest',
    '',
    `Every kernel's GPU-versus-reference check on this adapter (\`mad selftest\`): **${s.passed} passed, ${s.failed} failed**, in ${s.checks.length} checks.`,
    '',
    ...(failed.length === 0
      ? ['No comparison failed.']
      : ['Failed:', '', ...failed.flatMap((c) => c.failed.map((f) => `- ${c.name} — ${f}`))]),
    '',
    `Slowest checks (time between their output lines, so each includes its pipeline compiles):`,
    '',
    ...table(['check', 'comparisons', 'seconds'], slowest.map((c) => [c.name, String(c.comparisons), c.seconds.toFixed(1)]), [false, true, true]),
  ];
}

function kernelsSection(k: KernelsReport | KernelsFilterJson): string[] {
  if ('ratio' in k) return [renderKernelsSection(k).trimEnd()];
  return [
    '## Kernels',
    '',
    `Our cases matching the --filter only (no roofline, MLP step or TF.js), on ${k.adapter}:`,
    '',
    ...table(
      ['kernel', 'pass', 'K', 'ms/call', 'GPU ms', 'GFLOP/s', 'GB/s'],
      k.ours.kernels.map((f) => [f.name, f.pass, String(f.reps), fmtMs(f.ms), f.gpuMs === null ? '—' : fmtMs(f.gpuMs), f.flop === 0 ? '—' : f.gflops.toFixed(3), f.gbs.toFixed(2)]),
      [false, false, true, true, true, true, true],
    ),
    ...k.ours.skipped.map((s) => `- skipped ${s.name}: ${s.reason}`),
  ];
}

function layersSection(l: LayersJson): string[] {
  const out: string[] = [];
  if (l.layers.length > 0 || l.attention.length > 0) out.push(renderLayersSection(l, l.command, l.machine), '');
  out.push(renderRecurrenceSection(l.recurrences, l.recurrencesSkipped, l.adapter, l.command, l.machine));
  return out;
}

function protocolSection(r: MachineReport): string[] {
  const title = `## Quick protocol: ${PROTOCOL_MODEL.id}`;
  const p = r.protocol;
  if (!p) return r.protocolSkipped ? [title, '', `Skipped: ${r.protocolSkipped}.`] : missing(r, 'protocol', title.slice(3));
  const scoreRows = Object.entries(p.scores).map(([task, s]) => [task, s.toFixed(4)]);
  const e = p.extrapolated;
  const finished = p.runs.filter((run) => run.seconds !== null).length;
  const wall = e
    ? `**${formatSeconds(e.seconds)} for all ${e.ofRuns} runs, extrapolated from ${e.fromRuns} of ${e.ofRuns} runs**: the time budget stopped the profile after ${formatSeconds(p.wallSeconds)}; ${e.fromRuns === 1 ? 'the finished run is' : `the ${e.fromRuns} finished runs are`} ${(100 * e.computeShare).toFixed(1)} % of its compute by \`--plan\`'s figures (trained + evaluated/3 token positions), and their seconds were scaled by that share, plus the ${formatSeconds(p.setupSeconds)} before the first run.`
    : finished === p.totalRuns
      ? `**${formatSeconds(p.wallSeconds)} for all ${p.totalRuns} runs, measured** (${formatSeconds(p.setupSeconds)} of it before the first run: GPU check gate, data).`
      : `not measured: no run finished within the ${formatSeconds(p.wallSeconds)} it had, so there is nothing to extrapolate from.`;
  return [
    title,
    '',
    `\`mad benchmark --profile ${p.profile}\` for ${p.model} on this adapter. Wall time: ${wall}`,
    '',
    'The plan (`--plan`):',
    '',
    '```',
    p.planText.trimEnd(),
    '```',
    '',
    ...table(
      ['#', 'task', 'run', 'seconds', 'test_acc'],
      p.runs.map((run) => [String(run.index), run.task, `\`${run.runDir}\``, run.seconds === null ? 'stopped by the budget' : run.seconds.toFixed(1), run.testAcc === null ? '—' : run.testAcc.toFixed(4)]),
      [true, false, false, true, true],
    ),
    '',
    ...(scoreRows.length === 0
      ? ['No task finished all its runs, so there is no MAD score.']
      : [
          ...table(['task', 'MAD score'], scoreRows, [false, true]),
          '',
          p.mean === null ? `Mean across tasks: not reached (${scoreRows.length} of ${p.plan.length} tasks scored).` : `Mean across tasks: **${p.mean.toFixed(4)}**.`,
        ]),
  ];
}

function missing(r: MachineReport, name: PartName, title: string): string[] {
  const part = r.parts.find((p) => p.name === name);
  const why = !part ? 'not selected (--parts)' : `${part.status}${part.note ? `: ${part.note}` : ''}`;
  return [`## ${title}`, '', `No figures: ${why}.`];
}

export function renderMachineReport(r: MachineReport): string {
  const sections: string[][] = [
    [
      `# MAD Lab on ${describeAdapterSummary(r.adapter)}`,
      '',
      `Written by \`${r.command}\`. Every figure below was measured in that one run on this machine; the commands are at the end.`,
    ],
    machineSection(r),
    adapterSection(r),
    partsSection(r),
    r.selftest ? selftestSection(r.selftest) : missing(r, 'selftest', 'Selftest'),
    r.kernels ? kernelsSection(r.kernels) : missing(r, 'kernels', 'Kernels'),
    r.layers ? layersSection(r.layers) : missing(r, 'layers', 'Layers'),
    r.step ? [renderStepSection(r.step).trimEnd()] : missing(r, 'step', 'Training step: ours vs PyTorch'),
    protocolSection(r),
    [
      '## Commands',
      '',
      'Each part ran as its own process, in this order (`npm run -s` keeps npm\'s header off the JSON):',
      '',
      '```sh',
      ...r.parts.flatMap((p) => p.commands),
      '```',
    ],
  ];
  return `${sections.map((s) => s.join('\n')).join('\n\n')}\n`;
}
