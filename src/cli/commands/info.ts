// `mad info`: what a model is before training it — each layer's parameters and recurrent state,
// the backbone's own parameters (embedding, norms, head or decoder), the totals and mad-lab's
// model id, all traced from the same builders that train (src/model/counting.ts), without drawing a
// weight. Sizes over the size policy's caps are refused before anything is traced.
import { settingSizeProblems } from '../../config/sizePolicy.ts';
import { architectureFromLayers, type ArchitectureSpec, type BackboneChoice } from '../../model/architecture.ts';
import { countModel, type ModelCount } from '../../model/counting.ts';
import type { NormKind } from '../../model/languageModel.ts';
import { TASK_NAMES, type TaskName } from '../../tasks/types.ts';
import { LAYERS } from '../../layers/registry.ts';
import { formatFlags, joinFlagValues, parseArgs, UsageError, type Command, type FlagSpecs } from '../args.ts';
import { layerNames, modelFromFlags, MODEL_SOURCE_FLAGS } from '../modelSource.ts';

const FLAGS = {
  layers: { kind: 'string', value: 'NAME…', help: "registry names, space- or comma-separated (e.g. --layers mh-attention swiglu mh-attention swiglu)" },
  'vocab-size': { kind: 'integer', value: 'V', help: 'vocabulary size' },
  'seq-len': { kind: 'integer', value: 'L', help: "max_length given to the layers (benchmark.py: the task's seq_len)" },
  task: { kind: 'string', value: 'TASK', help: 'picks the backbone: compression → AutoEncoder, any other → LanguageModel' },
  dim: { kind: 'integer', value: 'D', help: 'model width' },
  norm: { kind: 'string', value: 'rms|layer', help: 'norm of the backbone (benchmark.py: rms; train.py: layer)' },
  backbone: { kind: 'string', value: 'B', help: 'auto | language-model | autoencoder' },
  ...MODEL_SOURCE_FLAGS,
} as const satisfies FlagSpecs;

const DEFAULTS = { 'vocab-size': '16', 'seq-len': '128', dim: '128', norm: 'rms', backbone: 'auto' };

const group = (n: number): string => n.toLocaleString('en-US');

/** The table `mad info` prints. */
export function formatModelCount(count: ModelCount, context: { vocabSize: number; maxLength: number; dim: number; norm: NormKind }): string {
  const state = (s: number | null): string => (s === null ? 'grows with length' : group(s));
  const head = count.backbone === 'autoencoder' ? 'decoder (3 Linears)' : 'head';
  const rows: [string, string, string, string, string][] = [
    ['#', 'layer', 'shorthand', 'parameters', 'state'],
    ...count.layers.map((l): [string, string, string, string, string] => [String(l.index), l.type, l.shorthand, group(l.parameters), state(l.stateSize)]),
    ['', 'embedding', '', group(count.embedding), ''],
    ['', 'norms', '', group(count.norms), ''],
    ['', head, '', group(count.head), ''],
    ['', 'total', '', group(count.total), state(count.stateTotal)],
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const right = new Set([3, 4]);
  const lines = rows.map((r) =>
    r
      .map((cell, c) => (right.has(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd(),
  );
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  lines.splice(lines.length - 1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  const backbone = count.backbone === 'autoencoder' ? 'AutoEncoder' : 'LanguageModel';
  lines.push(`model id ${count.id}  (${backbone}, d=${context.dim}, V=${context.vocabSize}, max_length=${context.maxLength}, ${context.norm === 'rms' ? 'RMSNorm' : 'LayerNorm'})`);
  return lines.join('\n');
}

export const infoCommand: Command = {
  summary: "a model's parameters and state per layer, totals and model id",
  usage() {
    return [
      'usage: npm run mad -- info --layers NAME… [--vocab-size V] [--seq-len L] [--task TASK] [--dim D] [--norm rms|layer]',
      '       npm run mad -- info --model FILE | --link URL [--layer-config NAME.KEY=VALUE …]',
      '',
      'Counts come from building the model (planning only, no GPU); totals include embedding, norms and head.',
      "--model and --link take the Builder's model as it is (a link's setting gives V, L and the task);",
      '--layer-config changes a layer setting, e.g.',
      '  npm run mad -- info --layers attention swiglu --dim 32 --layer-config attention.rotary_emb_dim=32',
      '',
      formatFlags(FLAGS, DEFAULTS),
      '',
      `layers: ${LAYERS.map((l) => `${l.name} (${l.shorthand})`).join(', ')}`,
      `tasks: ${TASK_NAMES.join(', ')}`,
    ].join('\n');
  },
  async run(argv) {
    const flags = parseArgs(joinFlagValues(argv, '--layers'), FLAGS);
    if (flags.layers === undefined && flags.model === undefined && flags.link === undefined) {
      throw new UsageError('name the model: --layers NAME…, --model FILE (the Builder’s Export JSON) or --link URL (a share link)');
    }
    const { architecture, run } = modelFromFlags(flags, () => stockArchitecture(flags));
    // A link of one setting gives the sizes and task the model is counted at.
    const setting = run?.selection.kind === 'setting' ? run.selection.setting : undefined;
    const task = flags.task ?? setting?.task;
    if (task !== undefined && !(TASK_NAMES as readonly string[]).includes(task)) {
      throw new UsageError(`unknown task '${task}' (known: ${TASK_NAMES.join(', ')})`);
    }
    const vocabSize = flags['vocab-size'] ?? setting?.vocabSize ?? 16;
    const maxLength = flags['seq-len'] ?? setting?.seqLen ?? 128;
    if (vocabSize < 1) throw new UsageError('--vocab-size must be at least 1');
    if (maxLength < 1) throw new UsageError('--seq-len must be at least 1');
    const oversize = settingSizeProblems({ vocabSize, seqLen: maxLength });
    if (oversize.length > 0) throw new UsageError(oversize.map((p) => p.message).join(' '));
    const count = countModel(architecture, { vocabSize, maxLength, task: task as TaskName | undefined });
    console.log(formatModelCount(count, { vocabSize, maxLength, dim: architecture.dim, norm: architecture.norm ?? 'rms' }));
    return 0;
  },
};

/** The model of --layers, --dim, --norm and --backbone (checked by modelFromFlags). */
function stockArchitecture(flags: { layers?: string; dim?: number; norm?: string; backbone?: string }): ArchitectureSpec {
  const norm = flags.norm ?? 'rms';
  if (norm !== 'rms' && norm !== 'layer') throw new UsageError(`--norm must be rms or layer, got '${norm}'`);
  const backbone = flags.backbone ?? 'auto';
  if (!['auto', 'language-model', 'autoencoder'].includes(backbone)) {
    throw new UsageError(`--backbone must be auto, language-model or autoencoder, got '${backbone}'`);
  }
  return architectureFromLayers(layerNames(flags.layers, []), { dim: flags.dim ?? 128, norm, backbone: backbone as BackboneChoice });
}
