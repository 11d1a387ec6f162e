// `mad weights export|inspect`: a model's weights as safetensors under mad-lab's parameter names
// (docs/weights.md). `export` writes the initial weights of a model at a seed (what `mad train`
// would start from with the same --layers, --dim, --norm and --seed: note that their --norm
// defaults differ, as benchmark.py's and train.py's models do); `inspect FILE` prints a file's metadata, tensors and total, and whether it
// fits a model (the one its metadata records, or the one --layers … describes).

import { readFile, stat, writeFile } from 'node:fs/promises';
import { parseArgs, formatFlags, joinFlagValues, UsageError, type Command, type FlagSpecs } from '../args.ts';
import { architectureFromLayers, validateArchitecture, type ArchitectureSpec, type BackboneChoice } from '../../model/architecture.ts';
import { DEFAULT_LAYERS } from '../../model/presets.ts';
import { assertSizes, sizeProblem, type SizeProblem } from '../../config/sizePolicy.ts';
import { TASK_NAMES, type TaskName } from '../../tasks/types.ts';
import { layerNames } from '../modelSource.ts';
import { parseNorm } from './trainingRuntime.ts';
import { initialParameterPool, type WeightsContext } from '../../weights/parameterLayout.ts';
import { MAX_WEIGHTS_FILE_BYTES, readSafetensors } from '../../weights/safetensors.ts';
import { exportWeights, importWeights } from '../../weights/weightsFile.ts';
import { recordedArchitecture } from '../../weights/weightsMetadata.ts';

const MODEL_FLAGS = {
  layers: { kind: 'string', value: 'NAME…', help: 'registry names, space- or comma-separated' },
  dim: { kind: 'integer', value: 'D', help: 'model width' },
  norm: { kind: 'string', value: 'rms|layer', help: "norm of the backbone (benchmark.py's; mad train's default is layer, train.py's)" },
  backbone: { kind: 'string', value: 'B', help: 'auto | language-model | autoencoder' },
  'vocab-size': { kind: 'integer', value: 'V', help: "the task's vocabulary (the embedding and head rows)" },
  'max-length': { kind: 'integer', value: 'L', help: "mad-lab's max_length: the setting's seq_len (Hyena's filter length)" },
  task: { kind: 'string', value: 'TASK', help: "picks the backbone under 'auto' (compression: the AutoEncoder)" },
} as const satisfies FlagSpecs;

const EXPORT_FLAGS = {
  ...MODEL_FLAGS,
  seed: { kind: 'integer', value: 'S', help: 'seed of the initial weights (as mad train --seed)' },
  out: { kind: 'string', value: 'FILE', help: 'where to write the .safetensors file' },
} as const satisfies FlagSpecs;

const DEFAULTS: Record<string, string> = { layers: DEFAULT_LAYERS.join(' '), dim: '128', norm: 'rms', backbone: 'auto', 'vocab-size': '16', 'max-length': '128', seed: '0' };

type ModelFlagValues = Partial<Record<keyof typeof MODEL_FLAGS, string | number>>;

function modelOf(flags: ModelFlagValues, recorded: ArchitectureSpec | null): { architecture: ArchitectureSpec; context: WeightsContext } {
  const architecture =
    flags.layers === undefined && recorded !== null
      ? recorded
      : architectureFromLayers(layerNames(flags.layers as string | undefined, DEFAULT_LAYERS), {
          dim: (flags.dim as number | undefined) ?? 128,
          norm: parseNorm(flags.norm as string | undefined, 'rms'),
          backbone: (flags.backbone as BackboneChoice | undefined) ?? 'auto',
        });
  const invalid = validateArchitecture(architecture);
  if (invalid.length > 0) throw new UsageError(invalid.join('; '));
  const task = flags.task as string | undefined;
  if (task !== undefined && !(TASK_NAMES as readonly string[]).includes(task)) throw new UsageError(`--task must be one of ${TASK_NAMES.join(', ')}, got '${task}'`);
  const vocabSize = (flags['vocab-size'] as number | undefined) ?? 16;
  const maxLength = (flags['max-length'] as number | undefined) ?? 128;
  const problems = [sizeProblem('vocabSize', vocabSize, '--vocab-size'), sizeProblem('seqLen', maxLength, '--max-length')].filter((p): p is SizeProblem => p !== null);
  assertSizes(problems);
  if (vocabSize < 1 || maxLength < 1) throw new UsageError('--vocab-size and --max-length must be at least 1');
  return { architecture, context: { vocabSize, maxLength, task: task as TaskName | undefined } };
}

/** A weights file's bytes, its size checked before it is read. */
export async function readWeightsFile(path: string): Promise<Uint8Array> {
  const size = (await stat(path)).size;
  if (size > MAX_WEIGHTS_FILE_BYTES) throw new Error(`${path}: it is ${size.toLocaleString('en-US')} bytes, more than the ${MAX_WEIGHTS_FILE_BYTES.toLocaleString('en-US')} MAD Lab reads`);
  return new Uint8Array(await readFile(path));
}

async function inspect(path: string, argv: readonly string[]): Promise<number> {
  const flags = parseArgs(joinFlagValues(argv, '--layers'), MODEL_FLAGS);
  const bytes = await readWeightsFile(path);
  const { metadata, tensors } = readSafetensors(bytes, path);
  console.log(`${path}: ${tensors.length} tensors, ${bytes.length.toLocaleString('en-US')} bytes`);
  for (const [key, value] of Object.entries(metadata)) console.log(`  ${key}: ${value}`);
  const width = Math.max(...tensors.map((t) => t.name.length), 4);
  for (const t of tensors) console.log(`  ${t.name.padEnd(width)}  ${t.dtype.padEnd(4)}  [${t.shape.join(', ')}]`);
  const total = tensors.reduce((sum, t) => sum + t.data.length, 0);
  console.log(`total values: ${total.toLocaleString('en-US')} (shared tensors and buffers counted under each name)`);
  const recorded = recordedArchitecture(metadata, path);
  if (recorded === null && flags.layers === undefined) {
    console.log('no model to check against: the file records no architecture; give --layers … to check it');
    return 0;
  }
  const context: ModelFlagValues = {
    'vocab-size': metadata.vocab_size !== undefined && flags['vocab-size'] === undefined ? Number(metadata.vocab_size) : flags['vocab-size'],
    'max-length': metadata.max_length !== undefined && flags['max-length'] === undefined ? Number(metadata.max_length) : flags['max-length'],
  };
  const model = modelOf({ ...flags, ...context }, recorded);
  try {
    const imported = importWeights(model, bytes, path);
    console.log(`fits the model${imported.conversions.length > 0 ? `; converted ${imported.conversions.join('; ')}` : ''}`);
    return 0;
  } catch (err) {
    console.log(`does not fit the model: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

async function exportInitial(argv: readonly string[]): Promise<number> {
  const flags = parseArgs(joinFlagValues(argv, '--layers'), EXPORT_FLAGS);
  if (flags.out === undefined) throw new UsageError('export needs --out FILE');
  const model = modelOf(flags, null);
  const seed = flags.seed ?? 0;
  const bytes = exportWeights(model, initialParameterPool(model.architecture, model.context, seed), seed);
  await writeFile(flags.out, bytes);
  console.log(`wrote ${flags.out} (${bytes.length.toLocaleString('en-US')} bytes): initial weights at seed ${seed}`);
  return 0;
}

export const weightsCommand: Command = {
  summary: "a model's weights as safetensors under mad-lab's parameter names",
  usage() {
    return [
      'usage: npm run mad -- weights export --out FILE [--layers NAME…] [--dim D] [--seed S] [--vocab-size V] [--max-length L]',
      '       npm run mad -- weights inspect FILE [--layers NAME… …]',
      '',
      "export writes a model's initial weights at a seed (what mad train starts from, given the same --norm) under mad-lab's",
      "state_dict names, so load_state_dict(strict=True) loads them into mad-lab's make_model_fn model.",
      'inspect prints a file and checks it against the model its metadata records (or the one the flags describe).',
      '',
      formatFlags(EXPORT_FLAGS, DEFAULTS),
    ].join('\n');
  },
  async run(argv) {
    const [sub, ...rest] = argv;
    if (sub === 'export') return exportInitial(rest);
    if (sub === 'inspect') {
      const [path, ...flags] = rest;
      if (path === undefined || path.startsWith('--')) throw new UsageError('inspect needs a FILE');
      return inspect(path, flags);
    }
    throw new UsageError(sub === undefined ? 'give export or inspect' : `unknown weights action '${sub}' (export or inspect)`);
  },
};
