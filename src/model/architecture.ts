// The ArchitectureSpec (docs/architecture.md, "Contracts"): the one serialisable description of a
// model. The UI's parameter and state counts, the URL, JSON export and the worker's build all read
// it. Layer types are mad-lab's registry names, so a spec exports to a mad-lab command line as is.
//
// checkArchitecture is the one validator: it lists every problem as data ({path, key, message}:
// where it sits, the field, and the words a field shows), the size policy's first
// (config/sizePolicy.ts), or returns the spec resolved once into the layer definitions and merged
// configs that the backbones build, so counting, estimates and building never check it again.
// validateArchitecture gives the same problems as sentences for callers that print them.

import { layerDefaults } from '../config/layerConfigs.ts';
import { architectureSizeProblems, SIZE_LIMITS, type SizeProblem } from '../config/sizePolicy.ts';
import { ConfigError } from '../layers/configValues.ts';
import { layerDefinition, LAYERS, resolveLayerConfig } from '../layers/registry.ts';
import type { LayerConfig } from '../layers/types.ts';
import type { TaskName } from '../tasks/types.ts';
import type { LayerSpec, NormKind } from './languageModel.ts';
import type { InitScheme } from '../engine/params.ts';

/** The init schemes ParamFactory implements (engine/params.ts), re-exported for the page, which never imports engine/. */
export type { InitScheme };

export const ARCHITECTURE_VERSION = 1;

export type BackboneChoice = 'auto' | 'language-model' | 'autoencoder';
export type Backbone = Exclude<BackboneChoice, 'auto'>;

export interface ArchitectureLayer {
  /** A registry name (`mh-attention`, `swiglu`, …). */
  type: string;
  /** Overrides on top of configs/layers/<type>.yml (mad-lab's keys). */
  config?: LayerConfig;
}

export interface ArchitectureSpec {
  version: number;
  name?: string;
  /** Model width d (128 in MAD). */
  dim: number;
  layers: ArchitectureLayer[];
  /** 'auto' (default): the AutoEncoder for compression, the LanguageModel otherwise (docs/protocol.md §5). */
  backbone?: BackboneChoice;
  /** Default 'rms' (benchmark.py); mad-lab's train.py CLI uses 'layer' (docs/protocol.md §5.1). */
  norm?: NormKind;
  /**
   * Default 'paper' (docs/protocol.md §5.3). Applies to the LanguageModel; the AutoEncoder's init is fixed
   * (every Linear weight N(0, 0.02), every bias 0: docs/protocol.md §5.2), which is the 'paper' scheme.
   */
  init?: InitScheme;
}

const SPEC_KEYS = ['version', 'name', 'dim', 'layers', 'backbone', 'norm', 'init'] as const;
const LAYER_KEYS = ['type', 'config'] as const;
const BACKBONES: readonly BackboneChoice[] = ['auto', 'language-model', 'autoencoder'];
const NORMS: readonly NormKind[] = ['rms', 'layer'];
const INITS: readonly InitScheme[] = ['paper', 'current'];
/** The size policy's width cap (16 × MAD's d = 128), within the rows the norm kernels hold. */
export const MAX_DIM = SIZE_LIMITS.dim.limit;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v));

/** Where a problem sits: [] for the spec's own fields, ['layers', i] for block i, ['layers', i, 'config', …] inside its overrides (nested mappings included). */
export type ProblemPath = readonly (string | number)[];

export interface ArchitectureProblem {
  path: ProblemPath;
  /** The refused field at `path` ('dim', 'layers', 'type', 'n_heads'), or null when the value at `path` is refused as a whole. */
  key: string | null;
  /** What is wrong, without where it is: the words a field shows beside it. */
  message: string;
  /** For a problem inside a block of a known type: that type, which sentences name ("layers[0]: mlp: …"). */
  layerType?: string;
  /** For the size policy's problems (width, layer count, name length): the policy's own record. */
  size?: SizeProblem;
}

/** A spec that passed checkArchitecture, with each layer's definition and merged, validated config. */
export interface ResolvedArchitecture {
  readonly spec: ArchitectureSpec;
  readonly layers: readonly LayerSpec[];
}

/** Every ResolvedArchitecture checkArchitecture made: only these skip the check (a look-alike object does not). */
const RESOLVED = new WeakSet<object>();

function isResolved(architecture: ArchitectureSpec | ResolvedArchitecture): architecture is ResolvedArchitecture {
  return RESOLVED.has(architecture);
}

export type ArchitectureCheck = { ok: true; resolved: ResolvedArchitecture } | { ok: false; problems: ArchitectureProblem[] };

/** The block index of a problem's path, or null for the spec's own fields. */
export function problemLayer(problem: ArchitectureProblem): number | null {
  const [field, index] = problem.path;
  return field === 'layers' && typeof index === 'number' ? index : null;
}

/** For a problem with one key of a block's config: the keys from the top of that config down to it (['long_conv_cfg', 'bias']), else null. */
export function problemConfigKeys(problem: ArchitectureProblem): string[] | null {
  const [, , config, ...within] = problem.path;
  if (problemLayer(problem) === null || config !== 'config' || problem.key === null) return null;
  return [...within.map(String), problem.key];
}

/**
 * A problem as one sentence: its block (named by `blockName`, 'layers[i]' by default) and the
 * block's type, then the message, e.g. "layers[1]: mlp: unknown config key 'dim_innr' (…)".
 */
export function problemSentence(problem: ArchitectureProblem, blockName: (index: number) => string = (i) => `layers[${i}]`): string {
  const index = problemLayer(problem);
  const block = index === null ? '' : `${blockName(index)}: `;
  const type = problem.layerType === undefined ? '' : `${problem.layerType}: `;
  return `${block}${type}${problem.message}`;
}

/**
 * Every problem of `spec`, or the spec resolved: first the size policy's (width, layer count,
 * name length), then unknown fields, wrong version, bad or missing dim, bad backbone/norm/init,
 * an empty stack, and per block: unknown fields, unknown layer types, and bad overrides with the
 * key (the layer's own validate(), a ConfigError). A stack over the layer cap is not walked layer
 * by layer: a 10,000-layer import is refused at once.
 */
export function checkArchitecture(spec: unknown): ArchitectureCheck {
  if (!isRecord(spec)) return { ok: false, problems: [{ path: [], key: null, message: `an architecture must be an object, got ${show(spec)}` }] };
  const sizeProblems = architectureSizeProblems(spec);
  // The policy's messages are sentences; here every problem is a phrase (sentences join them with '; ').
  const problems: ArchitectureProblem[] = sizeProblems.map((size) => ({ path: [], key: size.key, message: size.message.replace(/\.$/, ''), size }));
  const field = (key: string, message: string) => problems.push({ path: [], key, message });
  const dimOverCap = sizeProblems.some((p) => p.key === 'dim');
  const layersOverCap = sizeProblems.some((p) => p.key === 'layers');
  for (const key of Object.keys(spec)) {
    if (!(SPEC_KEYS as readonly string[]).includes(key)) field(key, `unknown field '${key}' (known: ${SPEC_KEYS.join(', ')})`);
  }
  if (spec.version !== ARCHITECTURE_VERSION) field('version', `version must be ${ARCHITECTURE_VERSION}, got ${show(spec.version)}`);
  if (spec.name !== undefined && typeof spec.name !== 'string') field('name', `name must be a string, got ${show(spec.name)}`);
  const dim = spec.dim;
  const dimOk = typeof dim === 'number' && Number.isInteger(dim) && dim >= 1 && dim <= MAX_DIM;
  if (!dimOk && !dimOverCap) field('dim', `dim must be an integer in 1…${MAX_DIM}, got ${show(dim)}`);
  if (spec.backbone !== undefined && !BACKBONES.includes(spec.backbone as BackboneChoice)) {
    field('backbone', `backbone must be one of ${BACKBONES.join(', ')}, got ${show(spec.backbone)}`);
  }
  if (spec.norm !== undefined && !NORMS.includes(spec.norm as NormKind)) field('norm', `norm must be one of ${NORMS.join(', ')}, got ${show(spec.norm)}`);
  if (spec.init !== undefined && !INITS.includes(spec.init as InitScheme)) field('init', `init must be one of ${INITS.join(', ')}, got ${show(spec.init)}`);
  if (spec.backbone === 'autoencoder' && dimOk && ((dim as number) % 2 !== 0 || (dim as number) < 4)) {
    field('dim', `the autoencoder's sinusoidal table needs an even dim ≥ 4, got ${dim as number}`);
  }
  if (!Array.isArray(spec.layers)) {
    field('layers', `layers must be a list of { type, config? }, got ${show(spec.layers)}`);
    return { ok: false, problems };
  }
  if (spec.layers.length === 0) field('layers', 'layers is empty: a model needs at least one layer');
  if (layersOverCap) return { ok: false, problems };
  const layers: LayerSpec[] = [];
  spec.layers.forEach((layer: unknown, i) => {
    const resolved = checkLayer(layer, i, dimOk ? (dim as number) : undefined, problems);
    if (resolved !== null) layers.push(resolved);
  });
  if (problems.length > 0) return { ok: false, problems };
  const resolved: ResolvedArchitecture = { spec: spec as unknown as ArchitectureSpec, layers };
  RESOLVED.add(resolved);
  return { ok: true, resolved };
}

/** Block `i` resolved, or null with its problems added to `problems`. */
function checkLayer(layer: unknown, i: number, dim: number | undefined, problems: ArchitectureProblem[]): LayerSpec | null {
  const at: ProblemPath = ['layers', i];
  if (!isRecord(layer)) {
    problems.push({ path: at, key: null, message: `a layer must be an object { type, config? }, got ${show(layer)}` });
    return null;
  }
  const before = problems.length;
  for (const key of Object.keys(layer)) {
    if (!(LAYER_KEYS as readonly string[]).includes(key)) problems.push({ path: at, key, message: `unknown field '${key}' (known: type, config)` });
  }
  if (typeof layer.type !== 'string' || !LAYERS.some((l) => l.name === layer.type)) {
    problems.push({ path: at, key: 'type', message: `unknown layer type ${show(layer.type)} (known: ${LAYERS.map((l) => l.name).join(', ')})` });
    return null;
  }
  const type = layer.type;
  if (layer.config !== undefined && !isRecord(layer.config)) {
    problems.push({ path: at, key: 'config', layerType: type, message: `config must be an object of overrides, got ${show(layer.config)}` });
    return null;
  }
  const overrides: LayerConfig = layer.config ?? {};
  const configPath: ProblemPath = [...at, 'config'];
  if (dim !== undefined && 'dim' in overrides && overrides.dim !== dim) {
    problems.push({ path: configPath, key: 'dim', layerType: type, message: `'dim' ${show(overrides.dim)} differs from the model's dim ${dim} (every layer maps d → d)` });
    return null;
  }
  // configs/layers/<type>.yml, then the model width (when the yml has a `dim` key), then the overrides.
  const config = dim !== undefined && 'dim' in layerDefaults(type) ? { dim, ...overrides } : overrides;
  try {
    const resolved = { definition: layerDefinition(type), config: resolveLayerConfig(type, config) };
    return problems.length > before ? null : resolved;
  } catch (err) {
    if (err instanceof ConfigError) {
      problems.push({ path: [...configPath, ...err.keyPath.slice(0, -1)], key: err.key, layerType: err.layer, message: err.reason });
    } else {
      problems.push({ path: configPath, key: null, message: err instanceof Error ? err.message : String(err) });
    }
    return null;
  }
}

/** Problems as one text: their sentences joined by '; ' (for a usage error or a refused import). */
export function problemsText(problems: readonly ArchitectureProblem[]): string {
  return problems.map((p) => problemSentence(p)).join('; ');
}

/** Every problem of `spec` as a sentence naming the field (empty when it is valid): checkArchitecture's, for callers that print them. */
export function validateArchitecture(spec: unknown): string[] {
  const check = checkArchitecture(spec);
  return check.ok ? [] : check.problems.map((p) => problemSentence(p));
}

/** `architecture` resolved, checking it first unless it already was; throws one Error listing every problem. */
export function resolveArchitecture(architecture: ArchitectureSpec | ResolvedArchitecture): ResolvedArchitecture {
  if (isResolved(architecture)) return architecture;
  const check = checkArchitecture(architecture);
  if (!check.ok) throw new Error(`invalid architecture: ${problemsText(check.problems)}`);
  return check.resolved;
}

/** The spec of a spec or of a resolved architecture. */
export function specOf(architecture: ArchitectureSpec | ResolvedArchitecture): ArchitectureSpec {
  return isResolved(architecture) ? architecture.spec : architecture;
}

/** mad-lab's model id: the layers' shorthands joined by '-', e.g. 'mA-Sg-mA-Sg' (docs/protocol.md §4.0). */
export function modelId(spec: Pick<ArchitectureSpec, 'layers'>): string {
  return spec.layers.map((l) => layerDefinition(l.type).shorthand).join('-');
}

/** The backbone a spec gets on a task: 'auto' is the AutoEncoder for compression only (docs/protocol.md §5). */
export function resolveBackbone(spec: Pick<ArchitectureSpec, 'backbone'>, task?: TaskName): Backbone {
  const choice = spec.backbone ?? 'auto';
  if (choice !== 'auto') return choice;
  return task === 'compression' ? 'autoencoder' : 'language-model';
}

/** A spec from registry names with every default (what `--layers a b c` on the CLI means). */
export function architectureFromLayers(
  types: readonly string[],
  options: { dim?: number; norm?: NormKind; init?: InitScheme; backbone?: BackboneChoice } = {},
): ArchitectureSpec {
  return {
    version: ARCHITECTURE_VERSION,
    dim: options.dim ?? 128,
    layers: types.map((type) => ({ type })),
    ...(options.backbone ? { backbone: options.backbone } : {}),
    ...(options.norm ? { norm: options.norm } : {}),
    ...(options.init ? { init: options.init } : {}),
  };
}
