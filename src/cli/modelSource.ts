// Where the model of `mad train`, `mad benchmark` and `mad info` comes from: `--model FILE` (the
// Builder's JSON export), `--link URL` (a share link, any released format) or `--layers NAME…`
// (registry names with their yml defaults), then `--layer-config` edits on top. A file or link is
// the Builder's model exactly: its width, norm, backbone and overrides are used as they are, so the
// flags that would set them (--dim, --norm, --backbone) are refused beside it rather than silently
// changing the model the link names. The file is measured before it is read, and read with the
// Builder's own importer; the link is decoded with the app's decoder.

import { readFileSync, statSync } from 'node:fs';
import { checkArchitecture, type ArchitectureSpec } from '../model/architecture.ts';
import { architectureFileSizeProblem, importArchitectureJson, JsonImportError } from '../share/jsonExport.ts';
import { ShareLinkError } from '../share/shareLinkError.ts';
import type { ShareRun, ShareState } from '../share/shareState.ts';
import { decodeShareLink } from '../share/urlCodec.ts';
import { UsageError, type FlagSpecs } from './args.ts';
import { applyLayerConfigEdits, layerProblemSentence, parseLayerConfigEdit } from './layerConfigFlag.ts';

/** The flags every command that takes a model adds to its own. */
export const MODEL_SOURCE_FLAGS = {
  model: { kind: 'string', value: 'FILE', help: "a model exported by the Builder (Share and save → Export JSON), used exactly: width, norm, backbone and layer settings" },
  link: { kind: 'string', value: 'URL', help: "a MAD Lab share link (quote it: it holds # and &): its model as --model, its run's setting, hyper-parameters and seed as defaults" },
  'layer-config': {
    kind: 'repeated',
    value: 'NAME.KEY=VALUE',
    help: 'change a layer setting, repeatable: NAME a layer type (every layer of it) or 1-based position, KEY dotted for nested settings, VALUE YAML',
  },
} as const satisfies FlagSpecs;

/** The model flags a command has parsed (a command without --backbone passes none). */
export interface ModelFlags {
  model?: string;
  link?: string;
  layers?: string;
  'layer-config'?: string[];
  dim?: number;
  norm?: string;
  backbone?: string;
}

export interface ModelChoice {
  /** Checked: it passed checkArchitecture. */
  architecture: ArchitectureSpec;
  /** What a file or link says to run the model on, if anything. */
  run?: ShareRun;
  /** How the command line named the model, for messages: "--model FILE", "--link" or "--layers". */
  origin: string;
  /** The flag and value that reproduce the source, quoted for a shell ("--link '…'"); absent for --layers. */
  sourceArgs?: string;
}

/** The registry names of `--layers` (space- or comma-separated), or `defaults` when it is absent. */
export function layerNames(layersText: string | undefined, defaults: readonly string[]): string[] {
  const names = layersText === undefined ? [...defaults] : layersText.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (names.length === 0) throw new UsageError('--layers needs at least one layer name');
  return names;
}

/** A text as one shell word: single quotes, with any single quote inside written '\''. */
export function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The Builder's JSON export at `path`: its size first, then the importer's checks. */
function readModelFile(path: string): ShareState {
  let bytes: number;
  try {
    bytes = statSync(path).size;
  } catch {
    throw new UsageError(`--model ${path}: no such file; give the path of a file saved with the Builder's Export JSON`);
  }
  const tooLarge = architectureFileSizeProblem(bytes);
  if (tooLarge !== null) throw new UsageError(`--model ${path}: ${tooLarge}`);
  try {
    return importArchitectureJson(readFileSync(path, 'utf8'));
  } catch (error) {
    if (error instanceof JsonImportError) throw new UsageError(`--model ${path}: ${error.message}`);
    throw error;
  }
}

function readLink(url: string): ShareState {
  try {
    return decodeShareLink(url);
  } catch (error) {
    if (error instanceof ShareLinkError) throw new UsageError(`--link: ${error.message}`);
    throw error;
  }
}

/**
 * The model the flags name, checked, with a file's or link's run. `stock` builds the `--layers`
 * model (unchecked: --layer-config may be what makes it valid) and is called only without a file
 * or link. Every problem of the final model is a usage error naming the --layer-config occurrence
 * that caused it, or the flag that would change it.
 */
export function modelFromFlags(flags: ModelFlags, stock: () => ArchitectureSpec): ModelChoice {
  const sources = (['model', 'link', 'layers'] as const).filter((f) => flags[f] !== undefined);
  if (sources.length > 1) throw new UsageError(`give one of --model, --link or --layers, not ${sources.map((f) => `--${f}`).join(' and ')}`);
  const edits = (flags['layer-config'] ?? []).map(parseLayerConfigEdit);
  let choice: Omit<ModelChoice, 'architecture'> & { architecture: ArchitectureSpec };
  if (flags.model !== undefined || flags.link !== undefined) {
    const origin = flags.model !== undefined ? `--model ${flags.model}` : '--link';
    const modelFlags = (['dim', 'norm', 'backbone'] as const).filter((f) => flags[f] !== undefined);
    if (modelFlags.length > 0) {
      const given = modelFlags.map((f) => `--${f}`).join(', ');
      throw new UsageError(`${given} cannot be combined with ${flags.model !== undefined ? '--model' : '--link'}: the model defines its own; change it in the Builder, or change a layer setting with --layer-config`);
    }
    const state = flags.model !== undefined ? readModelFile(flags.model) : readLink(flags.link!);
    const sourceArgs = flags.model !== undefined ? `--model ${shellQuote(flags.model)}` : `--link ${shellQuote(flags.link!)}`;
    choice = { architecture: state.architecture, ...(state.run ? { run: state.run } : {}), origin, sourceArgs };
  } else {
    choice = { architecture: stock(), origin: '--layers' };
  }
  const architecture = edits.length === 0 ? choice.architecture : applyLayerConfigEdits(choice.architecture, edits);
  const check = checkArchitecture(architecture);
  if (!check.ok) throw new UsageError(check.problems.map((p) => layerProblemSentence(p, architecture, edits)).join('; '));
  return { ...choice, architecture };
}
