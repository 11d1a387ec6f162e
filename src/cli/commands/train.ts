// `mad train`: one model on one task setting, as mad-lab's train.py (docs/protocol.md §6, §8.1), with its flags
// and defaults. The run lands in `<log-base-path>/<run-dir>/` under mad-lab's name, holding
// results.csv (mad-lab's six columns) and our run.json; a run whose results.csv exists is not
// trained again, its row is printed instead. Sizes are checked before anything is allocated: the
// size policy's caps while the flags are read, then the run's memory plan, then the data (read data
// are validated), and only then the GPU and the run directory.

import { join } from 'node:path';
import { PLANNING_TARGET } from '../../config/kernelTarget.ts';
import { trainingSizeProblems } from '../../config/sizePolicy.ts';
import { architectureFromLayers, type ArchitectureSpec, type BackboneChoice } from '../../model/architecture.ts';
import { DEFAULT_LAYERS } from '../../model/presets.ts';
import { MAD_DEFAULTS, makeSetting } from '../../tasks/settings.ts';
import { createTaskStream } from '../../tasks/stream.ts';
import { TASK_NAMES, type TaskName, type TaskSetting } from '../../tasks/types.ts';
import { FileResultsStore } from '../../train/fileResultsStore.ts';
import { assertSameRun } from '../../train/protocol.ts';
import { runDirNameOf } from '../../train/runKey.ts';
import { DEFAULT_TRAINING, RESULTS_COLUMNS, type EpochRecord, type ResultsRow, type RunPlan, type SchedulerKind } from '../../train/types.ts';
import { assertGpuChecked, SKIP_GPU_CHECK_FLAG } from '../gpuCheck.ts';
import { formatFlags, joinFlagValues, parseArgs, UsageError, type Command, type FlagSpecs, type ParsedFlags } from '../args.ts';
import { trainDefaults } from '../linkRun.ts';
import { layerNames, modelFromFlags, MODEL_SOURCE_FLAGS } from '../modelSource.ts';
import { formatDuration, ProgressBar } from '../progress.ts';
import { SETTING_FLAGS, TASK_FLAGS } from './data.ts';
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
} from './trainingRuntime.ts';
import { readInitialWeights, RUN_WEIGHTS_FLAGS, runLogsDir, saveRunWeights, storedWeightsLine } from './trainWeights.ts';

const SCHEDULERS: readonly SchedulerKind[] = ['cosine', 'plateau', 'none'];

/** Flags of train.py that choose hardware or logging sinks: accepted, ignored (see noteIgnoredFlags). */
const IGNORED_FLAGS = {
  accelerator: { kind: 'string', value: 'A', help: 'runs use the one WebGPU device Dawn finds' },
  devices: { kind: 'integer', value: 'N', help: 'runs use one device' },
  precision: { kind: 'string', value: 'P', help: 'runs compute in fp32; mad-lab defaults to bf16 autocast' },
  'log-to-csv': { kind: 'boolean', help: 'results.csv and run.json are always written' },
  'wandb-project': { kind: 'string', value: 'NAME', help: 'no Weights & Biases logging here' },
  'save-checkpoints': { kind: 'boolean', help: 'no .ckpt files: the reported row already uses the best-perplexity weights' },
  'num-data-workers': { kind: 'integer', value: 'N', help: 'data are generated in-process' },
  'persistent-data-workers': { kind: 'boolean', help: 'data are generated in-process' },
} as const satisfies FlagSpecs;

const FLAGS = {
  ...TASK_FLAGS,
  task: { kind: 'string', value: 'TASK', help: 'the task to train on (below)' },
  seed: { kind: 'integer', value: 'S', help: 'seed of the data, the initialisation and the shuffle order (mad-lab has one seed)' },
  layers: { kind: 'string', value: 'NAME…', help: 'registry names, space- or comma-separated' },
  backbone: { kind: 'string', value: 'B', help: 'language-model | autoencoder (compression always uses the autoencoder)' },
  dim: { kind: 'integer', value: 'D', help: 'model width' },
  norm: { kind: 'string', value: 'rms|layer', help: "norm of the backbone (our flag; train.py's models use LayerNorm)" },
  ...MODEL_SOURCE_FLAGS,
  'batch-size': { kind: 'integer', value: 'B', help: 'batch size of training and evaluation' },
  epochs: { kind: 'integer', value: 'E', help: 'maximum epochs' },
  optimizer: { kind: 'string', value: 'adamw', help: 'only adamw (the benchmark’s); sgd is not implemented' },
  scheduler: { kind: 'string', value: 'S', help: 'cosine | plateau | none, stepped once per epoch' },
  'early-stop': { kind: 'boolean', help: 'also stop after --stop-patience epochs without a better test accuracy' },
  'stop-patience': { kind: 'integer', value: 'N', help: 'patience of --early-stop, in epochs' },
  'plateau-patience': { kind: 'integer', value: 'N', help: 'patience of the plateau scheduler, in epochs' },
  'plateau-factor': { kind: 'number', value: 'F', help: 'lr factor of the plateau scheduler' },
  lr: { kind: 'number', value: 'LR', help: 'AdamW learning rate' },
  'min-lr': { kind: 'number', value: 'LR', help: 'floor of the cosine and plateau schedules' },
  'weight-decay': { kind: 'number', value: 'WD', help: 'AdamW weight decay (on every parameter, as mad-lab)' },
  'log-base-path': { kind: 'string', value: 'DIR', help: 'runs go to DIR/<run-dir>/' },
  'data-path': { kind: 'string', value: 'DIR', help: 'read DIR/<setting-name>/ when it exists (mad-lab layout), else generate in memory' },
  'log-to-wandb': { kind: 'boolean', help: 'refused: no Weights & Biases logging here' },
  'target-ignore-index': { kind: 'number', value: '-100', help: 'only -100, the ignore index of every MAD task' },
  ...MEMORY_BUDGET_FLAG,
  ...RUN_WEIGHTS_FLAGS,
  ...SKIP_GPU_CHECK_FLAG,
  ...IGNORED_FLAGS,
} as const satisfies FlagSpecs;

type TrainFlags = ParsedFlags<typeof FLAGS>;

const DEFAULTS: Record<string, string> = {
  task: 'in-context-recall',
  layers: DEFAULT_LAYERS.join(' '),
  backbone: 'language-model',
  dim: '128',
  norm: 'layer',
  'batch-size': String(DEFAULT_TRAINING.batchSize),
  epochs: String(DEFAULT_TRAINING.epochs),
  optimizer: 'adamw',
  scheduler: DEFAULT_TRAINING.scheduler,
  'early-stop': 'off',
  'stop-patience': String(DEFAULT_TRAINING.stopPatience),
  'plateau-patience': String(DEFAULT_TRAINING.plateauPatience),
  'plateau-factor': String(DEFAULT_TRAINING.plateauFactor),
  lr: String(DEFAULT_TRAINING.lr),
  'min-lr': String(DEFAULT_TRAINING.minLr),
  'weight-decay': String(DEFAULT_TRAINING.weightDecay),
  'log-base-path': './logs',
  seed: String(DEFAULT_TRAINING.seed),
  'target-ignore-index': '-100',
  'memory-budget': DEFAULT_MEMORY_BUDGET_TEXT,
};
for (const [flag, field] of Object.entries(SETTING_FLAGS)) {
  if (flag === 'seed') continue;
  const value = MAD_DEFAULTS[field];
  DEFAULTS[flag] = typeof value === 'boolean' ? (value ? 'on' : 'off') : String(value);
}

export const trainCommand: Command = {
  summary: "train one model on one task setting (mad-lab's train.py)",
  usage() {
    return [
      'usage: npm run mad -- train [--task TASK] [setting flags] [--layers NAME…] [training flags] [--log-base-path DIR] [--data-path DIR]',
      '       npm run mad -- train --model FILE | --link URL [--layer-config NAME.KEY=VALUE …] [flags that override its run]',
      '',
      "Trains as train.py does and writes DIR/<run-dir>/results.csv with mad-lab's columns (and our run.json);",
      "a run whose results.csv exists is not trained again. Unlike train.py, the layers' max_length is the",
      "task's seq_len (as benchmark.py sets it), and generated data are not saved (npm run mad -- data does that).",
      '',
      "The Builder's model, exactly: --model FILE (Export JSON) or --link URL (a share link; its run's setting,",
      'hyper-parameters and seed are the defaults, flags still win). --layer-config changes a layer setting:',
      "  npm run mad -- train --link 'https://…/#/builder&mad=v2.…' --epochs 50",
      '  npm run mad -- train --layers attention swiglu attention swiglu --dim 32 --layer-config attention.rotary_emb_dim=32',
      "  npm run mad -- train --model my-model.mad.json --layer-config '1.window_size=[64,0]'",
      '',
      "Weights (docs/weights.md): --save-weights writes the best weights as <run-dir>/weights.safetensors under mad-lab's",
      "names; --init-weights FILE starts from a file's weights, checked against the model first, as a run of its own.",
      '',
      formatFlags(FLAGS, DEFAULTS),
      '',
      `tasks: ${TASK_NAMES.join(', ')}`,
    ].join('\n');
  },
  async run(argv) {
    const flags = parseArgs(joinFlagValues(argv, '--layers'), FLAGS);
    noteIgnoredFlags(flags, IGNORED_FLAGS);
    const plan = planFromFlags(flags);
    const budget = parseMemoryBudget(flags['memory-budget']);
    // Checked against the plan's model before anything else; its hash places the run (trainWeights.ts).
    const initial = flags['init-weights'] === undefined ? undefined : await readInitialWeights(flags['init-weights'], plan);
    const store = new FileResultsStore(runLogsDir(flags['log-base-path'] ?? DEFAULTS['log-base-path']!, initial));
    const runDir = runDirNameOf(plan);
    const path = store.runPath(runDir);

    const stored = await store.get(runDir);
    if (stored !== undefined) {
      assertSameRun(path, stored, plan);
      console.log(`Log path "${path}" exists, retrieved results from there...`);
      console.log(formatRow(stored.row));
      if (flags['save-weights']) console.log(storedWeightsLine(path));
      return 0;
    }

    assertRunFits(plan, limitsBeforeDevice(budget), budget, PLANNING_TARGET);
    const data = await settingData(flags['data-path'], (line) => console.log(line))(plan.setting);
    if (!flags['skip-gpu-check']) await assertGpuChecked();
    const gpu = await acquireTrainingGpu();
    console.log(`adapter: ${describeAdapter(gpu.adapterInfo)}`);
    assertRunFits(plan, gpu.device.limits, budget, gpu.target);
    console.log(`run: ${path}${initial === undefined ? '' : ` (from the weights of ${initial.path})`}`);
    await store.start(runDir, plan);
    const bar = new ProgressBar(1);
    const progress = new RunProgress();
    let finalParameters: Float32Array | undefined;
    const weights = { initialParameters: initial?.pool, onFinalParameters: flags['save-weights'] ? (p: Float32Array) => void (finalParameters = p) : undefined };
    const result = await trainOn(gpu, budget, weights)(plan, data, (event) => {
      progress.update(event);
      if (event.kind === 'epoch') {
        bar.clear();
        console.log(formatEpoch(event.record, plan.training.epochs));
      }
      bar.update(progress.fraction, `epoch ${Math.min(progress.epoch + 1, progress.epochs)}/${progress.epochs}`);
    });
    bar.clear();
    // Before results.csv, which marks the run finished: a finished run asked to save has its weights.
    const savedWeights = finalParameters === undefined ? undefined : saveRunWeights(path, plan, finalParameters, initial);
    await store.put(runDir, plan, result);
    const best = result.bestEpoch === null ? '' : `, best test perplexity at epoch ${result.bestEpoch + 1}`;
    console.log(`${result.status} after ${result.epochs.length} epoch${result.epochs.length === 1 ? '' : 's'} in ${formatDuration(result.seconds)}${best}`);
    console.log(formatRow(result.row));
    console.log(`wrote ${join(path, 'results.csv')}`);
    if (savedWeights !== undefined) console.log(`wrote ${savedWeights}`);
    else if (flags['save-weights']) console.log('no weights saved: the run diverged');
    gpu.device.destroy();
    return 0;
  },
};

/** The run `mad train ARGV` would train, planned as the command plans it (the flags are read, nothing runs). */
export function trainPlan(argv: readonly string[]): RunPlan {
  return planFromFlags(parseArgs(joinFlagValues(argv, '--layers'), FLAGS));
}

function planFromFlags(flags: TrainFlags): RunPlan {
  // --model and --link bring the model and, with a run of one setting, the run's defaults.
  const { architecture, ...source } = modelFromFlags(flags, () => stockArchitecture(flags));
  const defaults = trainDefaults({ architecture, ...source }, { task: flags.task, seed: flags.seed });
  const base = defaults.training;
  const task = flags.task ?? defaults.setting?.task ?? DEFAULTS.task!;
  if (!(TASK_NAMES as readonly string[]).includes(task)) throw new UsageError(`--task must be one of ${TASK_NAMES.join(', ')}, got '${task}'`);
  if (flags['log-to-wandb']) throw new UsageError('--log-to-wandb is not supported: results go to results.csv and run.json only');
  if (flags['target-ignore-index'] !== undefined && flags['target-ignore-index'] !== -100) {
    throw new UsageError(`--target-ignore-index must be -100, the ignore index of every MAD task, got ${flags['target-ignore-index']}`);
  }
  if (flags.optimizer !== undefined && flags.optimizer !== 'adamw') {
    throw new UsageError(`--optimizer ${flags.optimizer} is not implemented: only adamw, the optimizer of the MAD benchmark`);
  }
  const scheduler = (flags.scheduler ?? base.scheduler) as SchedulerKind;
  if (!SCHEDULERS.includes(scheduler)) throw new UsageError(`--scheduler must be one of ${SCHEDULERS.join(', ')}, got '${scheduler}'`);

  const seed = flags.seed ?? base.seed;
  const overrides: Partial<TaskSetting> = { ...defaults.setting, seed };
  for (const [flag, field] of Object.entries(SETTING_FLAGS)) {
    const value = flags[flag as keyof typeof SETTING_FLAGS];
    if (value !== undefined) Object.assign(overrides, { [field]: value });
  }
  let setting: TaskSetting;
  try {
    setting = makeSetting(task as TaskName, overrides);
    createTaskStream(setting); // generators check their token layout when created
  } catch (e) {
    throw new UsageError((e as Error).message);
  }

  // A link's epochs and batch size meet the same caps as the flags.
  const oversize = trainingSizeProblems({ epochs: flags.epochs ?? base.epochs, batchSize: flags['batch-size'] ?? base.batchSize });
  if (oversize.length > 0) throw new UsageError(oversize.map((p) => p.message).join(' '));

  const training = {
    ...base,
    batchSize: positive('batch-size', flags['batch-size'] ?? base.batchSize),
    epochs: positive('epochs', flags.epochs ?? base.epochs),
    scheduler,
    earlyStop: flags['early-stop'] ?? base.earlyStop,
    stopPatience: positive('stop-patience', flags['stop-patience'] ?? base.stopPatience),
    plateauPatience: flags['plateau-patience'] ?? base.plateauPatience,
    // A link may carry a factor of 1 (the Runs page allows it); the flag keeps train.py's open range.
    plateauFactor: flags['plateau-factor'] === undefined ? base.plateauFactor : fraction('plateau-factor', flags['plateau-factor']),
    lr: positive('lr', flags.lr ?? base.lr),
    minLr: nonNegative('min-lr', flags['min-lr'] ?? base.minLr),
    weightDecay: nonNegative('weight-decay', flags['weight-decay'] ?? base.weightDecay),
    seed,
  };
  if (training.minLr > training.lr) {
    throw new UsageError(`--min-lr ${training.minLr} is above --lr ${training.lr}: a floor above the starting rate would make the cosine schedule raise the learning rate; give a --min-lr of at most ${training.lr}`);
  }
  return { architecture, setting, training };
}

/** The model of --layers, --dim, --norm and --backbone, as train.py builds it (checked by modelFromFlags). */
function stockArchitecture(flags: TrainFlags): ArchitectureSpec {
  let backbone: BackboneChoice = 'auto';
  if (flags.backbone !== undefined) {
    if (flags.backbone !== 'language-model' && flags.backbone !== 'autoencoder') {
      throw new UsageError(`--backbone must be language-model or autoencoder, got '${flags.backbone}'`);
    }
    backbone = flags.backbone;
    if ((flags.task ?? DEFAULTS.task) === 'compression' && backbone !== 'autoencoder') {
      console.log('Setting model backbone to "autoencoder", which is required for the compression task!');
      backbone = 'autoencoder';
    }
  }
  return architectureFromLayers(layerNames(flags.layers, DEFAULT_LAYERS), { dim: flags.dim ?? 128, norm: parseNorm(flags.norm, 'layer'), backbone });
}

function positive(flag: string, value: number): number {
  if (!(value > 0)) throw new UsageError(`--${flag} must be greater than 0, got ${value}`);
  return value;
}

function nonNegative(flag: string, value: number): number {
  if (!(value >= 0)) throw new UsageError(`--${flag} must be 0 or more, got ${value}`);
  return value;
}

function fraction(flag: string, value: number): number {
  if (!(value > 0 && value < 1)) throw new UsageError(`--${flag} must lie strictly between 0 and 1, got ${value}`);
  return value;
}

/** One line per epoch, like Lightning's epoch summary. */
export function formatEpoch(r: EpochRecord, epochs: number): string {
  const m = (x: number): string => x.toFixed(4);
  return [
    `epoch ${r.epoch + 1}/${epochs}`,
    `lr ${r.lr.toExponential(2)}`,
    `train loss ${m(r.train.loss)} acc ${m(r.train.accuracy)}`,
    `test loss ${m(r.test.loss)} acc ${m(r.test.accuracy)} ppl ${r.test.perplexity.toFixed(3)}`,
    formatDuration(r.seconds),
  ].join('  ');
}

/** results.csv's row under its column names. */
export function formatRow(row: ResultsRow): string {
  return RESULTS_COLUMNS.map((c) => `${c} ${Number.isNaN(row[c]) ? 'nan' : row[c].toPrecision(6)}`).join('  ');
}
