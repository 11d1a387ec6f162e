// An architecture (and optionally its run settings) as a JSON file a person can read, diff and
// edit: a format marker and version, then the ArchitectureSpec and run exactly as the app holds
// them. Import checks the text's length first (MAX_ARCHITECTURE_FILE_LENGTH, before parsing), then
// the marker and version, then every field (the size policy's first), and says what is wrong in
// one sentence.

import { MAX_ARCHITECTURE_FILE_LENGTH, textLengthProblem, validateShareState, type ShareState } from './shareState.ts';

export const FILE_FORMAT = 'mad-lab-architecture';
/** v1: { format, version, architecture, run? } with the ArchitectureSpec and ShareRun as they are. */
export const FILE_VERSION = 1;

export class JsonImportError extends Error {
  override readonly name = 'JsonImportError';
}

/** Pretty JSON for a file; throws for an invalid state (the app only exports what it can build). */
export function exportArchitectureJson(state: ShareState): string {
  const problems = validateShareState(state);
  if (problems.length > 0) throw new Error(`Cannot export an invalid architecture or run: ${problems.join('; ')}.`);
  const file = { format: FILE_FORMAT, version: FILE_VERSION, architecture: state.architecture, ...(state.run ? { run: state.run } : {}) };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** A file name for the export: the architecture's name (or model layers), made safe for file systems. */
export function exportFileName(state: ShareState): string {
  const base = state.architecture.name ?? state.architecture.layers.map((l) => l.type).join('_');
  const safe = base
    .toLowerCase()
    .replace(/[^a-z0-9+]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return `${safe || 'architecture'}.mad.json`;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const FILE_REMEDY = 'choose the file of a smaller model';

/**
 * Why a file of `bytes` is refused before it is read, or null: check a picked file's size with this
 * before reading its text. UTF-8 takes at least one byte per character, so a file within the limit
 * in bytes is within it in characters too.
 */
export function architectureFileSizeProblem(bytes: number): string | null {
  return textLengthProblem('This file', bytes, MAX_ARCHITECTURE_FILE_LENGTH, FILE_REMEDY, 'bytes');
}

/** The state a file holds. Throws JsonImportError (one sentence) for anything it cannot open. */
export function importArchitectureJson(text: string): ShareState {
  const tooLong = textLengthProblem('This file', text.length, MAX_ARCHITECTURE_FILE_LENGTH, FILE_REMEDY);
  if (tooLong !== null) throw new JsonImportError(tooLong);
  let file: unknown;
  try {
    file = JSON.parse(text);
  } catch (err) {
    throw new JsonImportError(`This file is not JSON (${err instanceof Error ? err.message : String(err)}); choose a file exported by MAD Lab.`);
  }
  if (!isRecord(file) || file.format !== FILE_FORMAT) {
    throw new JsonImportError(`This file is not a MAD Lab architecture: it lacks "format": "${FILE_FORMAT}".`);
  }
  const version = file.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new JsonImportError(`This file's "version" must be a whole number from 1, got ${JSON.stringify(version)}.`);
  }
  if (version > FILE_VERSION) {
    throw new JsonImportError(`This file was made by a newer MAD Lab (file format v${version}); this version reads up to v${FILE_VERSION}, so open it in an updated MAD Lab.`);
  }
  const unknown = Object.keys(file).filter((k) => !['format', 'version', 'architecture', 'run'].includes(k));
  if (unknown.length > 0) throw new JsonImportError(`This file has unknown field${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (known: format, version, architecture, run).`);
  const state: ShareState = file.run === undefined ? { architecture: file.architecture as ShareState['architecture'] } : { architecture: file.architecture as ShareState['architecture'], run: file.run as ShareState['run'] };
  const problems = validateShareState(state);
  if (problems.length > 0) throw new JsonImportError(`This file describes an invalid model or run: ${problems.join('; ')}.`);
  return state;
}
