// Named architectures from configs/presets/*.yml: the paper's models and a few classics, for the
// builder's palette and for teaching. src/config reads the files (config/presetFiles.ts); this
// turns them into ArchitectureSpecs. Each file holds a name, a one-sentence description, its source and an
// ArchitectureSpec without `version` (the current one is filled in).

import { parse } from 'yaml';
import { ARCHITECTURE_VERSION, validateArchitecture, type ArchitectureSpec } from './architecture.ts';
import { presetTexts } from '../config/presetFiles.ts';

/** mad-lab's default train.py model (docs/protocol.md §4.0, §8.1): where a new Builder starts, what the CLI trains without --layers. */
export const DEFAULT_LAYERS = ['mh-attention', 'swiglu', 'mh-attention', 'swiglu'] as const;

export type PresetSource = 'paper' | 'classic';

export interface Preset {
  /** The file name without .yml, e.g. 'striped-hyena'. */
  id: string;
  name: string;
  /** One sentence a student understands. */
  description: string;
  /** 'paper': a model of Poli et al. 2024; 'classic': a well-known design for comparison. */
  source: PresetSource;
  /** Carries the preset's name. */
  architecture: ArchitectureSpec;
}

const PRESET_KEYS = ['name', 'description', 'source', 'architecture'];
const SOURCES: readonly PresetSource[] = ['paper', 'classic'];

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One preset file; throws an Error naming the file and every problem. */
export function parsePreset(id: string, ymlText: string): Preset {
  const file = `configs/presets/${id}.yml`;
  let doc: unknown;
  try {
    doc = parse(ymlText);
  } catch (err) {
    throw new Error(`${file}: invalid YAML: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!isRecord(doc)) throw new Error(`${file}: expected a mapping with ${PRESET_KEYS.join(', ')}`);
  const problems = Object.keys(doc)
    .filter((k) => !PRESET_KEYS.includes(k))
    .map((k) => `unknown key '${k}' (known: ${PRESET_KEYS.join(', ')})`);
  for (const key of ['name', 'description'] as const) {
    if (typeof doc[key] !== 'string' || doc[key] === '') problems.push(`'${key}' must be a non-empty string`);
  }
  if (!SOURCES.includes(doc.source as PresetSource)) problems.push(`'source' must be ${SOURCES.join(' or ')}, got ${JSON.stringify(doc.source)}`);
  if (!isRecord(doc.architecture)) problems.push("'architecture' must be a mapping with dim and layers");
  else if ('version' in doc.architecture || 'name' in doc.architecture) {
    problems.push("'architecture' must not set version or name (the loader fills in the current version and the preset's name)");
  }
  if (problems.length > 0) throw new Error(`${file}: ${problems.join('; ')}`);
  const architecture = { version: ARCHITECTURE_VERSION, name: doc.name, ...(doc.architecture as object) };
  const invalid = validateArchitecture(architecture);
  if (invalid.length > 0) throw new Error(`${file}: architecture: ${invalid.join('; ')}`);
  return {
    id,
    name: doc.name as string,
    description: doc.description as string,
    source: doc.source as PresetSource,
    architecture: architecture as ArchitectureSpec,
  };
}

let cached: readonly Preset[] | null = null;

/** Every preset, the paper's first, each group by name. Throws naming the first malformed file. */
export function loadPresets(): readonly Preset[] {
  cached ??= Object.entries(presetTexts())
    .map(([id, text]) => parsePreset(id, text))
    .sort((a, b) => SOURCES.indexOf(a.source) - SOURCES.indexOf(b.source) || a.name.localeCompare(b.name, 'en'));
  return cached;
}

/** The preset with this id, or undefined. */
export function presetById(id: string): Preset | undefined {
  return loadPresets().find((p) => p.id === id);
}
