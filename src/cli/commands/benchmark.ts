// `mad benchmark`: one architecture through a protocol profile (configs/protocols/<name>.yml, or a
// file of the same format), as mad-lab's benchmark.py runs the full one (docs/protocol.md §7, §8.2). Runs go to
// `<logs-path>/<run-dir>/` under mad-lab's names; finished runs are never trained again, so an
// interrupted benchmark resumes when the same command runs again. Prints the six task scores and
// their mean at the end. Every run still to train is planned first (size caps, learning-rate
// schedule, memory): one that cannot run stops the benchmark before any data, GPU or run directory.

import { PLANNING_TARGET } from '../../config/kernelTarget.ts';
import { PROTOCOL_NAMES, type ProtocolName, type ProtocolProfile } from '../../config/protocols.ts';
import { loadProtocol, loadProtocolFile } from '../../config/protocolDisk.ts';
import { architectureFromLayers, modelId, type ArchitectureSpec } from '../../model/architecture.ts';
import { DEFAULT_LAYERS } from '../../model/presets.ts';
import { FileResultsStore } from '../../train/fileResultsStore.ts';
import type { MadScores } from '../../train/madScore.ts';
import { enumerateProtocolRuns, runProtocol, type ProtocolRun, type TrainFunction } from '../../train/protocol.ts';
import { computeCost, protocolCompute, protocolWorkload, relativeCompute, runCompute, type ComputeFigures } from '../../train/protocolCompute.ts';
import { formatDuration, trainingSeconds } from '../../model/trainingTime.ts';
import { scheduleProblem } from '../../train/schedule.ts';
import { assertGpuChecked, cachedAdapterSpeed, formatSpeed, SKIP_GPU_CHECK_FLAG } from '../gpuCheck.ts';
import { formatFlags, joinFlagValues, parseArgs, UsageError, type Command, type FlagSpecs } from '../args.ts';
import { linkProtocol, runSeed } from '../linkRun.ts';
import { layerNames, modelFromFlags, MODEL_SOURCE_FLAGS } from '../modelSource.ts';
import { ProgressBar } from '../progress.ts';
import { formatSharePlan, formatShareSummary, parseShard, shardEnd, shareOf, SHARD_FLAG } from './benchmarkShard.ts';
import { formatRow } from './train.ts';
import {
  acquireTrainingGpu,
  assertRunFits,
  DEFAULT_MEMORY_BUDGET_TEXT,
  describeAdapter,
  limitsBeforeDevice,
  MEMORY_BUDGET_FLAG,
  noteIgnoredFlags,
  parseMemoryBudget,
  parseNorm,
  RunProgress,
  settingData,
  trainOn,
  type TrainingGpu,
} from './trainingRuntime.ts';

/** Flags of benchmark.py that spread runs over GPUs with Ray or choose logging sinks: accepted, ignored. */
const IGNORED_FLAGS = {
  gpus: { kind: 'integer', value: 'N', help: 'runs train one after another on one WebGPU device' },
  cpus: { kind: 'integer', value: 'N', help: 'no Ray here' },
  'num-trials-gpu': { kind: 'integer', value: 'N', help: 'one run at a time' },
  'num-cpus-trial': { kind: 'integer', value: 'N', help: 'no Ray here' },
  'num-data-workers': { kind: 'integer', value: 'N', help: 'data are generated in-process' },
  precision: { kind: 'string', value: 'P', help: 'runs compute in fp32; mad-lab defaults to bf16 autocast' },
  'persistent-workers': { kind: 'boolean', help: 'data are generated in-process' },
  'log-to-csv': { kind: 'boolean', help: 'results.csv and run.json are always written' },
  'wandb-project': { kind: 'string', value: 'NAME', help: 'no Weights & Biases logging here' },
  'save-checkpoints': { kind: 'boolean', help: 'no .ckpt files: each row already uses its best-perplexity weights' },
  'ray-tmp-path': { kind: 'string', value: 'DIR', help: 'no Ray here' },
} as const satisfies FlagSpecs;

const FLAGS = {
  layers: { kind: 'string', value: 'NAME…', help: 'registry names, space- or comma-separated' },
  dim: { kind: 'integer', value: 'D', help: 'model width' },
  norm: { kind: 'string', value: 'rms|layer', help: "norm of the backbone (our flag; benchmark.py's models use RMSNorm)" },
  ...MODEL_SOURCE_FLAGS,
  profile: { kind: 'string', value: 'NAME', help: `protocol profile: ${PROTOCOL_NAMES.join(' | ')} (configs/protocols/NAME.yml)` },
  'profile-file': { kind: 'string', value: 'FILE', help: 'a protocol profile of your own, in the format of configs/protocols/*.yml' },
  'logs-path': { kind: 'string', value: 'DIR', help: 'runs go to DIR/<run-dir>/results.csv' },
  'data-path': { kind: 'string', value: 'DIR', help: 'read DIR/<setting-name>/ when it exists (e.g. the official benchmark data), else generate' },
  seed: { kind: 'integer', value: 'S', help: 'seed of data, initialisation and shuffle order' },
  plan: { kind: 'switch', help: 'print the runs, their compute and how many are done; train nothing' },
  ...SHARD_FLAG,
  'log-to-wandb': { kind: 'boolean', help: 'refused: no Weights & Biases logging here' },
  ...MEMORY_BUDGET_FLAG,
  ...SKIP_GPU_CHECK_FLAG,
  ...IGNORED_FLAGS,
} as const satisfies FlagSpecs;

const DEFAULTS = { layers: DEFAULT_LAYERS.join(' '), dim: '128', norm: 'rms', 'logs-path': './benchmark/logs', seed: '12345', 'memory-budget': DEFAULT_MEMORY_BUDGET_TEXT };

export const benchmarkCommand: Command = {
  summary: "score one architecture on a protocol profile (mad-lab's benchmark.py)",
  usage() {
    return [
      'usage: npm run mad -- benchmark --profile quick|standard|full [--layers NAME…] [--dim D] [--logs-path DIR] [--data-path DIR] [--plan]',
      '       npm run mad -- benchmark --profile-file FILE …',
      '',
      "Trains every run of the profile one after another, writes DIR/<run-dir>/results.csv with mad-lab's",
      'columns, skips runs whose results.csv exists (so a stopped benchmark resumes), and prints the MAD',
      'score of each task and their mean. full is mad-lab’s benchmark (396 runs); quick is meant to rank',
      'architectures in minutes (--plan, or npm run bench -- protocols, shows what each profile costs).',
      "The Builder's model, exactly: --model FILE (Export JSON) or --link URL (a share link; a link of a protocol",
      'run needs no --profile, and its seed is the default). --layer-config changes a layer setting:',
      "  npm run mad -- benchmark --link 'https://…/#/builder&mad=v2.…' --plan",
      '  npm run mad -- benchmark --profile quick --layers attention swiglu --dim 32 --layer-config attention.rotary_emb_dim=32',
      'With --shard K/N, N processes on N machines each train a disjoint share of the runs into one shared',
      '--logs-path, and npm run mad -- scores DIR prints the scores once all have finished (docs/cluster.md).',
      '',
      formatFlags(FLAGS, DEFAULTS),
    ].join('\n');
  },
  async run(argv) {
    const flags = parseArgs(joinFlagValues(argv, '--layers'), FLAGS);
    noteIgnoredFlags(flags, IGNORED_FLAGS);
    if (flags['log-to-wandb']) throw new UsageError('--log-to-wandb is not supported: results go to results.csv and run.json only');
    const model = modelFromFlags(flags, () => architectureFromLayers(layerNames(flags.layers, DEFAULT_LAYERS), { dim: flags.dim ?? 128, norm: parseNorm(flags.norm, 'rms') }));
    const { architecture, run } = model;
    // A link's protocol is the profile unless a flag names one; its seed is the default seed.
    const profile =
      run !== undefined && flags.profile === undefined && flags['profile-file'] === undefined
        ? loadProtocol(linkProtocol({ ...model, run }, (line) => console.error(line)))
        : profileFromFlags(flags.profile, flags['profile-file']);
    const seed = flags.seed ?? runSeed(run);
    const budget = parseMemoryBudget(flags['memory-budget']);
    const shard = flags.shard === undefined ? undefined : parseShard(flags.shard);
    const store = new FileResultsStore(flags['logs-path'] ?? DEFAULTS['logs-path']);
    const runs = enumerateProtocolRuns(profile, architecture, seed);
    const share = shard === undefined ? runs : shareOf(runs, shard);
    const done = new Set<string>();
    for (const run of runs) if (await store.has(run.runDir)) done.add(run.runDir);

    console.log(`profile ${profile.name}: ${profile.description}`);
    console.log(
      `model ${modelId(architecture)} (d=${architecture.dim}), ${runs.length} runs: ${done.size} done, ${runs.length - done.size} to train; logs ${store.logsDir}`,
    );
    if (shard !== undefined) console.log(formatShareSummary(shard, share, runs, done));
    if (flags.plan) {
      console.log(shard === undefined ? formatPlan(profile) : formatSharePlan(share, runs, done));
      console.log(formatPlanTime(profile, architecture, cachedAdapterSpeed()));
      return 0;
    }
    if (share.length === 0) return 0;

    const toTrain = share.filter((r) => !done.has(r.runDir));
    assertRunsCanTrain(toTrain, budget);
    if (toTrain.length > 0 && !flags['skip-gpu-check']) await assertGpuChecked();
    const shareDirs = shard === undefined ? undefined : new Set(share.map((r) => r.runDir));
    const scores = await benchmarkRuns({ profile, architecture, store, runs, toTrain, shareDirs, dataPath: flags['data-path'], seed, budget });
    if (shard === undefined) {
      console.log(formatScores(scores));
      return 0;
    }
    console.log(await shardEnd(store, shard, share, runs));
    return 0;
  },
};

function profileFromFlags(name: string | undefined, file: string | undefined): ProtocolProfile {
  if (name !== undefined && file !== undefined) throw new UsageError('give --profile or --profile-file, not both');
  if (file !== undefined) {
    try {
      return loadProtocolFile(file);
    } catch (error) {
      // The file is the user's input, as a flag is: anything wrong in it (a setting over the size caps too) is a usage error.
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
  }
  if (name === undefined) {
    throw new UsageError('--profile is required: quick (minutes), standard (hours) or full (mad-lab’s 396 runs, days on one GPU)');
  }
  if (!(PROTOCOL_NAMES as readonly string[]).includes(name)) throw new UsageError(`--profile must be one of ${PROTOCOL_NAMES.join(', ')}, got '${name}'`);
  return loadProtocol(name as ProtocolName);
}

/**
 * Plans every run still to train before the first one starts: its learning-rate schedule and its
 * memory within `budget`. A usage error gives each reason once, with the first run it stops and
 * how many more it does (a setting's sweep points share their reasons).
 */
function assertRunsCanTrain(runs: readonly ProtocolRun[], budget: number): void {
  const runsByReason = new Map<string, string[]>();
  for (const run of runs) {
    const reasons: string[] = [];
    const unschedulable = scheduleProblem(run.plan.training);
    if (unschedulable !== undefined) reasons.push(`${unschedulable}.`);
    try {
      assertRunFits(run.plan, limitsBeforeDevice(budget), budget, PLANNING_TARGET);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      reasons.push(error.message);
    }
    for (const reason of reasons) runsByReason.set(reason, [...(runsByReason.get(reason) ?? []), run.runDir]);
  }
  if (runsByReason.size === 0) return;
  const groups = [...runsByReason];
  const lines = groups.slice(0, SHOWN_REASONS).map(([reason, dirs]) => `${reason} (run ${dirs[0]}${dirs.length > 1 ? ` and ${dirs.length - 1} more` : ''})`);
  const hidden = new Set(groups.slice(SHOWN_REASONS).flatMap(([, dirs]) => dirs)).size;
  if (hidden > 0) lines.push(`${hidden} more run${hidden === 1 ? '' : 's'} cannot train for like reasons (--plan lists the runs).`);
  throw new UsageError(lines.join(' '));
}

/** Reasons a refused benchmark names before it summarises the rest. */
const SHOWN_REASONS = 2;

interface BenchmarkRunsOptions {
  profile: ProtocolProfile;
  architecture: ArchitectureSpec;
  store: FileResultsStore;
  runs: ProtocolRun[];
  toTrain: ProtocolRun[];
  /** With --shard: the runs of this shard's share; the others are neither trained nor reported here. */
  shareDirs?: ReadonlySet<string>;
  dataPath: string | undefined;
  seed: number | undefined;
  budget: number;
}

/** Runs the protocol with a progress bar whose ETA spans the runs still to train. */
async function benchmarkRuns(o: BenchmarkRunsOptions): Promise<MadScores> {
  const costOf = (run: ProtocolRun): number => computeCost(runCompute(run.plan.setting, run.plan.training.epochs));
  const bar = new ProgressBar(o.toTrain.reduce((sum, run) => sum + costOf(run), 0));
  const say = (line: string): void => {
    bar.clear();
    console.log(line);
  };
  // The GPU is acquired when the first run trains: a finished benchmark only prints its scores.
  let gpu: TrainingGpu | undefined;
  const train: TrainFunction = async (plan, data, onEvent) => {
    if (gpu === undefined) {
      gpu = await acquireTrainingGpu();
      say(`adapter: ${describeAdapter(gpu.adapterInfo)}`);
    }
    try {
      return await trainOn(gpu, o.budget)(plan, data, onEvent);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`${message}; finished runs are kept: run the same command again to resume`, { cause: error });
    }
  };
  let costDone = 0;
  let trainedCount = 0;
  let current = { cost: 0, progress: new RunProgress(), label: '', detail: '' };
  try {
    const outcome = await runProtocol({
      profile: o.profile,
      architecture: o.architecture,
      store: o.store,
      train,
      loadData: settingData(o.dataPath, say),
      seed: o.seed,
      trains: (run) => o.shareDirs?.has(run.runDir) ?? true,
      onRunStart(run) {
        const { training } = run.plan;
        current = {
          cost: costOf(run),
          progress: new RunProgress(),
          label: `run ${trainedCount + 1}/${o.toTrain.length}`,
          detail: `${run.plan.setting.task} lr ${training.lr} wd ${training.weightDecay}`,
        };
        say(`[${run.index + 1}/${o.runs.length}] ${run.runDir}`);
      },
      onRunEvent(_run, event) {
        current.progress.update(event);
        const { epoch, epochs } = current.progress;
        // The bar is cut at the terminal's width: what changes most comes first.
        bar.update(costDone + current.progress.fraction * current.cost, `${current.label}  epoch ${Math.min(epoch + 1, epochs)}/${epochs}  ${current.detail}`);
      },
      onRunDone(run, stored, skipped) {
        if (skipped) {
          if (o.shareDirs !== undefined && !o.shareDirs.has(run.runDir)) return;
          say(`[${run.index + 1}/${o.runs.length}] ${run.runDir}: stored, test_acc ${stored.row.test_acc.toFixed(4)}`);
          return;
        }
        costDone += current.cost;
        trainedCount++;
        say(`  ${formatRow(stored.row)}`);
      },
      onTaskScored(task, scores) {
        if (o.shareDirs !== undefined) return; // a shard sees part of a task's runs: no score from them
        const score = scores.tasks[task];
        say(score === undefined ? `${task}: no score (every run diverged)` : `${task}: MAD score ${score.score.toFixed(4)} over ${score.settings.length} setting(s)`);
      },
    });
    return outcome.scores;
  } finally {
    bar.clear();
    gpu?.device.destroy();
  }
}

/** benchmark.py's closing lines, plus the runs dropped for NaN. */
export function formatScores(scores: MadScores): string {
  const lines = ['', '----', `MAD scores for each synthetic task (model ${scores.modelId}):`];
  for (const [task, score] of Object.entries(scores.tasks)) lines.push(`  ${task}: ${score.score.toFixed(4)}`);
  lines.push(`Mean across Tasks: ${scores.mean === null ? 'none' : scores.mean.toFixed(4)}`);
  if (scores.dropped.length > 0) lines.push(`(${scores.dropped.length} diverged run(s) with NaN results left out, as analysis.py drops them)`);
  return lines.join('\n');
}

/** Per task: settings, epochs, runs and compute; then the profile's totals relative to full. */
export function formatPlan(profile: ProtocolProfile): string {
  const full = loadProtocol('full');
  const rows = profile.tasks.map((t) => {
    const figures = protocolCompute({ ...profile, tasks: [t] });
    return [t.task, String(t.settings.length), String(t.epochs), ...figureCells(figures)];
  });
  const total = protocolCompute(profile);
  rows.push(['total', String(profile.tasks.reduce((n, t) => n + t.settings.length, 0)), '', ...figureCells(total)]);
  const header = ['task', 'settings', 'epochs', 'runs', 'steps', 'trained tokens', 'evaluated tokens'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]): string => cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  const relative = relativeCompute(profile, full);
  return [
    line(header),
    ...rows.map(line),
    `sweep: ${profile.sweep.map((p) => `lr ${p.lr} wd ${p.weightDecay}`).join(', ')}`,
    `compute relative to full: ${formatPercent(relative)} (trained + evaluated/3 token positions, every run to its last epoch)`,
  ].join('\n');
}

/** The profile's wall time at the speed the GPU check kept for this adapter, or how to get one. */
export function formatPlanTime(profile: ProtocolProfile, architecture: ArchitectureSpec, cached: ReturnType<typeof cachedAdapterSpeed>): string {
  if (cached === null) return 'estimated wall time: not measured yet (the GPU check before the first training run measures this adapter)';
  const seconds = trainingSeconds(protocolWorkload(profile, architecture), cached.speed)!;
  return `estimated wall time: ${formatDuration(seconds)} on ${cached.adapter} at ${formatSpeed(cached.speed)} (measured ${cached.speed.measuredAt}; every run to its last epoch, the whole profile)`;
}

function figureCells(f: ComputeFigures): string[] {
  return [String(f.runs), f.steps.toLocaleString('en-US'), formatTokens(f.trainTokens), formatTokens(f.evalTokens)];
}

function formatTokens(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} M`;
  return `${(n / 1e3).toFixed(1)} k`;
}

function formatPercent(fraction: number): string {
  return `${(fraction * 100).toPrecision(3)} %`;
}

