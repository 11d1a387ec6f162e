// The way out to mad-lab (github.com/athms/mad-lab) when a model outgrows one GPU: the
// `python -m benchmark` and `python -m train` command lines (docs/protocol.md §8), and a Python file with a
// make_model_fn for mad-lab's benchmark(make_model_fn, model_id, …) API that builds exactly this
// architecture, overrides, norm, backbone and initialisation included. Registry names are
// mad-lab's, so layers map one to one; a layer with overrides exports its merged config as a yml
// file of mad-lab's keys, which the Python file loads.
//
// The command lines can only say what mad-lab's CLIs accept; madlabCommandNotes lists, one
// sentence each, what a command would change about the architecture or run.

import { layerDefaults } from '../config/layerConfigs.ts';
import { modelId, type ArchitectureSpec } from '../model/architecture.ts';
import { MAD_DEFAULTS, pythonFloatRepr } from '../tasks/settings.ts';
import type { TaskSetting } from '../tasks/types.ts';
import { DEFAULT_TRAINING, type TrainingHyperparameters } from '../train/types.ts';
import { encodeV1 } from './linkFormatV1.ts';
import { toPyYaml } from './pyYaml.ts';

export interface ExportFile {
  /** Relative to the root of a mad-lab checkout. */
  path: string;
  text: string;
}

/** The Python file madlabExportFiles writes, and the folder of its layer configs. */
export const SNIPPET_PATH = 'madlab_model.py';
const CONFIG_FOLDER = 'madlab_configs';

/** Layers of MAD Lab that mad-lab has no implementation of (docs/protocol.md §4): an architecture with one cannot be exported. */
const NOT_IN_MADLAB: ReadonlySet<string> = new Set(['mamba2', 'delta-net', 'gated-delta-net']);

/** Why the architecture cannot be exported to mad-lab (a layer it has none of), or null when it can. */
export function madlabRefusal(spec: ArchitectureSpec): string | null {
  const missing = [...new Set(spec.layers.map((l) => l.type).filter((type) => NOT_IN_MADLAB.has(type)))];
  if (missing.length === 0) return null;
  return `mad-lab has no ${missing.map((t) => `'${t}'`).join(' or ')} layer, so this architecture cannot be exported to mad-lab.`;
}

function refuseMissingLayers(spec: ArchitectureSpec): void {
  const refusal = madlabRefusal(spec);
  if (refusal !== null) throw new Error(refusal);
}

const overridden = (spec: ArchitectureSpec): number[] =>
  spec.layers.flatMap((layer, i) => (layer.config !== undefined && Object.keys(layer.config).length > 0 ? [i] : []));

const layerList = (spec: ArchitectureSpec): string => spec.layers.map((l) => l.type).join(' ');

/** `python -m benchmark --layers … --dim …`: the full protocol with mad-lab's default layer configs. */
export function madlabBenchmarkCommand(spec: ArchitectureSpec): string {
  refuseMissingLayers(spec);
  return `python -m benchmark --layers ${layerList(spec)} --dim ${spec.dim}`;
}

/**
 * `python -m train …` for one setting and one sweep point. Always written: the task, its sizes,
 * the layers, dim, the sweep point (lr, weight decay), epochs, batch size and seed; every other
 * flag only where it differs from train.py's default.
 */
export function madlabTrainCommand(spec: ArchitectureSpec, setting: TaskSetting, training: TrainingHyperparameters): string {
  refuseMissingLayers(spec);
  const flags: string[] = [
    `--task ${setting.task}`,
    `--vocab-size ${setting.vocabSize}`,
    `--seq-len ${setting.seqLen}`,
    `--num-train-examples ${setting.numTrainExamples}`,
    `--num-test-examples ${setting.numTestExamples}`,
  ];
  if (setting.fracNoise !== MAD_DEFAULTS.fracNoise) flags.push(`--frac-noise ${pythonFloatRepr(setting.fracNoise)}`);
  if (setting.noiseVocabSize !== MAD_DEFAULTS.noiseVocabSize) flags.push(`--noise-vocab-size ${setting.noiseVocabSize}`);
  if (setting.numTokensToCopy !== MAD_DEFAULTS.numTokensToCopy) flags.push(`--num-tokens-to-copy ${setting.numTokensToCopy}`);
  if (setting.kMotifSize !== MAD_DEFAULTS.kMotifSize) flags.push(`--k-motif-size ${setting.kMotifSize}`);
  if (setting.vMotifSize !== MAD_DEFAULTS.vMotifSize) flags.push(`--v-motif-size ${setting.vMotifSize}`);
  if (!setting.multiQuery) flags.push('--no-multi-query');
  flags.push(`--layers ${layerList(spec)}`);
  if (spec.backbone !== undefined && spec.backbone !== 'auto') flags.push(`--backbone ${spec.backbone}`);
  flags.push(`--dim ${spec.dim}`, `--batch-size ${training.batchSize}`, `--epochs ${training.epochs}`);
  if (training.scheduler !== DEFAULT_TRAINING.scheduler) flags.push(`--scheduler ${training.scheduler}`);
  if (training.earlyStop) flags.push('--early-stop');
  if (training.stopPatience !== DEFAULT_TRAINING.stopPatience) flags.push(`--stop-patience ${training.stopPatience}`);
  if (training.plateauPatience !== DEFAULT_TRAINING.plateauPatience) flags.push(`--plateau-patience ${training.plateauPatience}`);
  if (training.plateauFactor !== DEFAULT_TRAINING.plateauFactor) flags.push(`--plateau-factor ${pythonFloatRepr(training.plateauFactor)}`);
  flags.push(`--lr ${pythonFloatRepr(training.lr)}`);
  if (training.minLr !== DEFAULT_TRAINING.minLr) flags.push(`--min-lr ${pythonFloatRepr(training.minLr)}`);
  flags.push(`--weight-decay ${pythonFloatRepr(training.weightDecay)}`, `--seed ${setting.seed}`);
  return `python -m train ${flags.join(' ')}`;
}

const PAPER_INIT_NOTE =
  "mad-lab's current code initialises the LanguageModel with its December 2024 scheme, not the paper's scheme this architecture uses, so the Python file is the exact export.";

/**
 * What a command line would change, one sentence each (empty: the command is exact). `run` asks
 * about madlabTrainCommand for that setting and training; without it, about the benchmark command.
 */
export function madlabCommandNotes(spec: ArchitectureSpec, run?: { setting: TaskSetting; training: TrainingHyperparameters }): string[] {
  const notes: string[] = [];
  const lost = overridden(spec);
  if (lost.length > 0) {
    const which = lost.map((i) => `${i} (${spec.layers[i]!.type})`).join(', ');
    notes.push(`The command reads mad-lab's default layer configs, so the overrides of layer${lost.length > 1 ? 's' : ''} ${which} are lost; the Python file keeps them.`);
  }
  if ((spec.init ?? 'paper') === 'paper') notes.push(PAPER_INIT_NOTE);
  if (run === undefined) {
    if (spec.norm === 'layer') notes.push('benchmark.py always uses RMSNorm while this architecture uses LayerNorm; the Python file keeps LayerNorm.');
    if (spec.backbone !== undefined && spec.backbone !== 'auto') {
      notes.push(`benchmark.py picks the AutoEncoder for compression and the LanguageModel otherwise, while this architecture always uses the ${spec.backbone}; the Python file keeps it.`);
    }
    return notes;
  }
  const { setting, training } = run;
  if ((spec.norm ?? 'rms') === 'rms') notes.push("train.py always uses LayerNorm while this architecture uses RMSNorm (benchmark.py's norm).");
  if (setting.task === 'compression') {
    notes.push("train.py gives every layer max_length 1280, so its AutoEncoder emits 1280 positions where compression's targets have seq_len: train compression through benchmark.py or the Python file.");
  } else if (spec.backbone === 'autoencoder') {
    notes.push(`train.py's AutoEncoder gets max_length 1280 rather than seq_len ${setting.seqLen}, so its decoder emits the wrong number of positions: use the Python file.`);
  }
  if (spec.backbone === 'language-model' && setting.task === 'compression') {
    notes.push('train.py switches compression to the AutoEncoder whatever --backbone says, while this architecture asks for the LanguageModel.');
  }
  if (training.seed !== setting.seed) {
    notes.push(`mad-lab has one seed for data and training, so the command uses the data seed ${setting.seed} and not the training seed ${training.seed}.`);
  }
  return notes;
}

/** A layer's merged config (configs/layers/<type>.yml, then its overrides) as mad-lab yml. */
export function madlabLayerYml(spec: ArchitectureSpec, index: number): string {
  const layer = spec.layers[index];
  if (layer === undefined) throw new Error(`the architecture has no layer ${index} (it has ${spec.layers.length})`);
  const merged = { ...layerDefaults(layer.type), ...layer.config, dim: spec.dim };
  const keys = Object.keys(layer.config ?? {});
  return (
    `# ${layer.type} of layer ${index} of ${modelId(spec)}, exported from MAD Lab: mad-lab's configs/layers/${layer.type}.yml\n` +
    `# with ${keys.length > 0 ? `these keys changed: ${keys.join(', ')}` : 'no keys changed'}. make_model_fn sets dim and max_length.\n` +
    toPyYaml(merged)
  );
}

const configPath = (spec: ArchitectureSpec, index: number): string => `${CONFIG_FOLDER}/layer${index}-${spec.layers[index]!.type}.yml`;

/** 32-bit FNV-1a as 8 hex digits: a short, stable name for one exact architecture. */
function fingerprint(text: string): string {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0');
}

/** The logs folder of this exact architecture (its name aside). */
export function madlabLogsPath(spec: ArchitectureSpec): string {
  const { name: _name, ...unnamed } = spec;
  return `./benchmark/logs/${modelId(spec)}-${fingerprint(encodeV1({ architecture: unnamed }))}`;
}

const py = (text: string): string => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** The Python file: make_model_fn for mad-lab's benchmark(), runnable as a script from mad-lab's root. */
export function madlabModelSnippet(spec: ArchitectureSpec): string {
  refuseMissingLayers(spec);
  const id = modelId(spec);
  const withOverrides = new Set(overridden(spec));
  const backbone = spec.backbone ?? 'auto';
  const paperInit = (spec.init ?? 'paper') === 'paper' && backbone !== 'autoencoder';
  const kwargs = `vocab_size=vocab_size, max_length=max_length, dim=DIM, layers=layers, layer_cfgs=layer_cfgs${spec.norm === 'layer' ? ', norm=nn.LayerNorm' : ''}`;
  const languageModel = paperInit ? `paper_init(LanguageModel(${kwargs}))` : `LanguageModel(${kwargs})`;
  const build =
    backbone === 'auto'
      ? [`    if task == 'compression':`, `        return AutoEncoder(${kwargs})`, `    return ${languageModel}`]
      : [`    return ${backbone === 'autoencoder' ? `AutoEncoder(${kwargs})` : languageModel}`];
  const title = spec.name !== undefined ? `${spec.name} (${id})` : id;
  const lines = [
    `# ${title}, exported from MAD Lab as a mad-lab model.`,
    '#',
    '# Put this file in the root of a mad-lab checkout (github.com/athms/mad-lab) and run',
    `#     python ${SNIPPET_PATH}`,
    "# to train it on the whole MAD benchmark (benchmark.py's benchmark(): 66 task settings, each at",
    '# 3 learning rates x 2 weight decays), or import make_model_fn from it.',
    ...(withOverrides.size > 0 ? [`# The configs of layers with changed settings are in ${CONFIG_FOLDER}/, beside this file.`] : []),
    'import yaml',
    'from torch import nn',
    'from benchmark import benchmark',
    `from mad.model import ${backbone === 'language-model' ? 'LanguageModel' : backbone === 'autoencoder' ? 'AutoEncoder' : 'LanguageModel, AutoEncoder'}`,
    'from mad.registry import layer_registry',
    '',
    `DIM = ${spec.dim}`,
    `MODEL_ID = ${py(id)}`,
    `LAYERS = [${spec.layers.map((l) => py(l.type)).join(', ')}]`,
    "# mad-lab's default config of each layer, or the exported config of a layer with changed settings.",
    'LAYER_CONFIG_FILES = [',
    ...spec.layers.map((l, i) => `    ${withOverrides.has(i) ? py(configPath(spec, i)) : `layer_registry[${py(l.type)}]['cfg']`},`),
    ']',
    '# A logs folder of its own: mad-lab skips every run whose results.csv exists, so runs of another',
    '# model with the same layer list must not share it.',
    `LOGS_PATH = ${py(madlabLogsPath(spec))}`,
    '',
    '',
    'def load_yml(path):',
    "    with open(path, 'r') as f:",
    '        return yaml.safe_load(f)',
    '',
    '',
    'LAYER_CONFIGS = [load_yml(path) for path in LAYER_CONFIG_FILES]',
    '',
    '',
    ...(paperInit
      ? [
          'def paper_init(model: nn.Module) -> nn.Module:',
          '    """MAD\'s initialisation when the paper was written (mad-lab before December 2024):',
          '    every Linear weight N(0, 0.02) and every Linear bias 0, inside the layers too."""',
          '    for module in model.modules():',
          '        if isinstance(module, nn.Linear):',
          '            nn.init.normal_(module.weight, mean=0.0, std=0.02)',
          '            if module.bias is not None:',
          '                nn.init.zeros_(module.bias)',
          '    return model',
          '',
          '',
        ]
      : []),
    'def make_model_fn(task: str, vocab_size: int, max_length: int) -> nn.Module:',
    "    layers = [layer_registry[name]['module'] for name in LAYERS]",
    '    layer_cfgs = [dict(cfg, dim=DIM, max_length=max_length) for cfg in LAYER_CONFIGS]',
    ...build,
    '',
    '',
    "if __name__ == '__main__':",
    '    benchmark(make_model_fn=make_model_fn, model_id=MODEL_ID, logs_path=LOGS_PATH)',
  ];
  return `${lines.join('\n')}\n`;
}

/** The Python file and the yml of every layer with overrides, paths relative to mad-lab's root. */
export function madlabExportFiles(spec: ArchitectureSpec): ExportFile[] {
  return [{ path: SNIPPET_PATH, text: madlabModelSnippet(spec) }, ...overridden(spec).map((i) => ({ path: configPath(spec, i), text: madlabLayerYml(spec, i) }))];
}
