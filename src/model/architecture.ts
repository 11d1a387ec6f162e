// The ArchitectureSpec (design/architecture.md, "Contracts"): the one serialisable description of a
// model. The UI's parameter and state counts, the URL, JSON export and the worker's build all read
// it. Layer types are mad-lab's registry names, so a spec exports to a mad-lab command line as is.
//
// validateArchitecture lists every problem in readable sentences (for the builder's inspector and
// for imports), the size policy's first (config/sizePolicy.ts); resolveArchitecture turns a valid
// spec into the layer definitions and merged configs that the backbones build.

import { layerDefaults } from '../config/layerConfigs.ts';
import { architectureSizeProblems, SIZE_LIMITS } from '../config/sizePolicy.ts';
import { layerDefinition, LAYERS, resolveLayerConfig } from '../layers/registry.ts';
import type { LayerConfig } from '../layers/types.ts';
import type { TaskName } from '../tasks/types.ts';
import type { LayerSpec, NormKind } from './languageModel.ts';
import type { InitScheme } from './params.ts';

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
  /** 'auto' (default): the AutoEncoder for compression, the LanguageModel otherwise (spec §5). */
  backbone?: BackboneChoice;
  /** Default 'rms' (benchmark.py); mad-lab's train.py CLI uses 'layer' (spec §5.1). */
  norm?: NormKind;
  /**
   * Default 'paper' (spec §5.3). Applies to the LanguageModel; the AutoEncoder's init is fixed
   * (every Linear weight N(0, 0.02), every bias 0: spec §5.2), which is the 'paper' scheme.
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

/**
 * Every problem of `spec` as a readable sentence naming the field (empty when it is valid): first
 * the size policy's (width, layer count, name length), then wrong version, bad or missing dim, an
 * empty stack, unknown layer types, and each layer's bad overrides with the key (the layer's own
 * validate() message), unknown fields, bad backbone/norm/init. A stack over the layer cap is not
 * walked layer by layer: a 10,000-layer import is refused at once.
 */
export function validateArchitecture(spec: unknown): string[] {
  if (!isRecord(spec)) return [`an architecture must be an object, got ${show(spec)}`];
  const sizeProblems = architectureSizeProblems(spec);
  // The policy's messages are sentences; here every problem is a phrase, joined by '; '.
  const problems: string[] = sizeProblems.map((p) => p.message.replace(/\.$/, ''));
  const dimOverCap = sizeProblems.some((p) => p.key === 'dim');
  const layersOverCap = sizeProblems.some((p) => p.key === 'layers');
  for (const key of Object.keys(spec)) {
    if (!(SPEC_KEYS as readonly string[]).includes(key)) problems.push(`unknown field '${key}' (known: ${SPEC_KEYS.join(', ')})`);
  }
  if (spec.version !== ARCHITECTURE_VERSION) {
    problems.push(`version must be ${ARCHITECTURE_VERSION}, got ${show(spec.version)}`);
  }
  if (spec.name !== undefined && typeof spec.name !== 'string') problems.push(`name must be a string, got ${show(spec.name)}`);
  const dim = spec.dim;
  const dimOk = typeof dim === 'number' && Number.isInteger(dim) && dim >= 1 && dim <= MAX_DIM;
  if (!dimOk && !dimOverCap) problems.push(`dim must be an integer in 1…${MAX_DIM}, got ${show(dim)}`);
  if (spec.backbone !== undefined && !BACKBONES.includes(spec.backbone as BackboneChoice)) {
    problems.push(`backbone must be one of ${BACKBONES.join(', ')}, got ${show(spec.backbone)}`);
  }
  if (spec.norm !== undefined && !NORMS.includes(spec.norm as NormKind)) {
    problems.push(`norm must be one of ${NORMS.join(', ')}, got ${show(spec.norm)}`);
  }
  if (spec.init !== undefined && !INITS.includes(spec.init as InitScheme)) {
    problems.push(`init must be one of ${INITS.join(', ')}, got ${show(spec.init)}`);
  }
  if (spec.backbone === 'autoencoder' && dimOk && ((dim as number) % 2 !== 0 || (dim as number) < 4)) {
    problems.push(`the autoencoder's sinusoidal table needs an even dim ≥ 4, got ${dim as number}`);
  }
  if (!Array.isArray(spec.layers)) {
    problems.push(`layers must be a list of { type, config? }, got ${show(spec.layers)}`);
    return problems;
  }
  if (spec.layers.length === 0) problems.push('layers is empty: a model needs at least one layer');
  if (layersOverCap) return problems;
  spec.layers.forEach((layer: unknown, i) => {
    const where = `layers[${i}]`;
    if (!isRecord(layer)) {
      problems.push(`${where} must be an object { type, config? }, got ${show(layer)}`);
      return;
    }
    for (const key of Object.keys(layer)) {
      if (!(LAYER_KEYS as readonly string[]).includes(key)) problems.push(`${where}: unknown field '${key}' (known: type, config)`);
    }
    if (typeof layer.type !== 'string' || !LAYERS.some((l) => l.name === layer.type)) {
      problems.push(`${where}: unknown layer type ${show(layer.type)} (known: ${LAYERS.map((l) => l.name).join(', ')})`);
      return;
    }
    if (layer.config !== undefined && !isRecord(layer.config)) {
      problems.push(`${where} (${layer.type}): config must be an object of overrides, got ${show(layer.config)}`);
      return;
    }
    try {
      layerConfig(layer.type, layer.config ?? {}, dimOk ? (dim as number) : undefined);
    } catch (err) {
      problems.push(`${where}: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
  return problems;
}

/** Throws one Error listing every problem (see validateArchitecture). */
export function assertValidArchitecture(spec: unknown): asserts spec is ArchitectureSpec {
  const problems = validateArchitecture(spec);
  if (problems.length > 0) throw new Error(`invalid architecture: ${problems.join('; ')}`);
}

/**
 * configs/layers/<type>.yml, then the model width (when the layer's yml has a `dim` key), then
 * the overrides. An override of `dim` that differs from the model's is refused by name.
 */
function layerConfig(type: string, overrides: LayerConfig, dim: number | undefined): LayerConfig {
  if (dim !== undefined && 'dim' in overrides && overrides.dim !== dim) {
    throw new Error(`${type}: 'dim' ${show(overrides.dim)} differs from the model's dim ${dim} (every layer maps d → d)`);
  }
  const withDim = dim !== undefined && 'dim' in layerDefaults(type) ? { dim, ...overrides } : overrides;
  return resolveLayerConfig(type, withDim);
}

/** The layers of a valid spec, each with its definition and merged, validated config. */
export function resolveLayers(spec: ArchitectureSpec): LayerSpec[] {
  assertValidArchitecture(spec);
  return spec.layers.map((l) => ({ definition: layerDefinition(l.type), config: layerConfig(l.type, l.config ?? {}, spec.dim) }));
}

/** mad-lab's model id: the layers' shorthands joined by '-', e.g. 'mA-Sg-mA-Sg' (spec §4.0). */
export function modelId(spec: Pick<ArchitectureSpec, 'layers'>): string {
  return spec.layers.map((l) => layerDefinition(l.type).shorthand).join('-');
}

/** The backbone a spec gets on a task: 'auto' is the AutoEncoder for compression only (spec §5). */
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
