// Results from mad-lab come back in: a mad-lab logs directory holds one folder per run, named by
// the run (docs/protocol.md §7: setting, hyper-parameters, model id), each with a one-row results.csv. This
// turns those files into the ScoredRun records that computeMadScores aggregates, so the page shows
// them beside our own runs. A file that cannot be read or parsed becomes a warning naming it; it
// never stops the rest of the import.
//
// Works on plain {path, text} pairs: importMadlabLogFiles reads them from the File objects of the
// browser's directory picker, and madlabImportDisk.ts from disk in Node.

import { architectureFromLayers, type ArchitectureSpec } from '../model/architecture.ts';
import { LAYERS } from '../layers/registry.ts';
import { impossibleResults, type ScoredRun } from '../train/madScore.ts';
import { parseRunDirName } from '../train/runKey.ts';
import { RESULTS_COLUMNS, type ResultsRow } from '../train/types.ts';

export interface LogFile {
  /** Path with '/' (or '\') separators, ending in `<run-dir>/results.csv`. */
  path: string;
  text: string;
}

export interface ImportedRun extends ScoredRun {
  /** The results.csv it came from. */
  path: string;
}

export interface ImportWarning {
  path: string;
  /** One sentence: what is wrong with this file; the file was skipped. */
  problem: string;
}

export interface MadlabImport {
  runs: ImportedRun[];
  warnings: ImportWarning[];
}

const RESULTS_FILE = 'results.csv';

const pathParts = (path: string): string[] => path.split(/[\\/]+/).filter((p) => p !== '');

/** Whether a path is a run's results.csv: what a directory picker should read, and nothing else (checkpoints are large). */
export function isResultsCsvPath(path: string): boolean {
  return pathParts(path).at(-1) === RESULTS_FILE;
}

/** pandas writes NaN as an empty field by default; 'nan' and 'inf' are Python's own spellings. */
function parseValue(text: string, column: string): number {
  const t = text.trim();
  if (t === '' || /^[+-]?nan$/i.test(t)) return Number.NaN;
  if (/^[+-]?inf(inity)?$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) throw new Error(`${column} is ${JSON.stringify(text)}, not a number`);
  return Number(t);
}

/** A results.csv of mad-lab's train(): the header of its six columns and one row. Throws one sentence. */
export function parseResultsCsv(text: string): ResultsRow {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '');
  if (lines.length === 0) throw new Error('the file is empty');
  const header = lines[0]!.split(',').map((h) => h.trim());
  const missing = RESULTS_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0) throw new Error(`the header lacks mad-lab's column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (expected ${RESULTS_COLUMNS.join(',')})`);
  if (lines.length !== 2) throw new Error(`expected one row of results under the header, found ${lines.length - 1}`);
  const cells = lines[1]!.split(',');
  if (cells.length !== header.length) throw new Error(`the row has ${cells.length} values for ${header.length} columns`);
  const row = {} as ResultsRow;
  for (const column of RESULTS_COLUMNS) row[column] = parseValue(cells[header.indexOf(column)]!, column);
  return row;
}

/**
 * Every run among `files` (other files are ignored), with a warning for each results.csv that
 * could not be used: a folder name that is not a mad-lab run name, a malformed csv, values no run
 * can produce (an accuracy outside [0, 1], a perplexity below 1, a negative loss), or a second copy
 * of a run already imported.
 */
export function importMadlabLogs(files: readonly LogFile[]): MadlabImport {
  const runs: ImportedRun[] = [];
  const warnings: ImportWarning[] = [];
  const seen = new Map<string, string>();
  for (const { path, text } of files) {
    if (!isResultsCsvPath(path)) continue;
    const runDir = pathParts(path).at(-2);
    if (runDir === undefined) {
      warnings.push({ path, problem: 'results.csv must sit in its run folder (<logs>/<run-dir>/results.csv); skipped.' });
      continue;
    }
    try {
      const key = parseRunDirName(runDir);
      const row = parseResultsCsv(text);
      const impossible = impossibleResults(row);
      if (impossible !== undefined) {
        warnings.push({ path, problem: `impossible results (${impossible}); skipped.` });
        continue;
      }
      const earlier = seen.get(runDir);
      if (earlier !== undefined) {
        warnings.push({ path, problem: `the same run was already imported from ${earlier}; skipped this copy.` });
        continue;
      }
      seen.set(runDir, path);
      runs.push({ key, row, path });
    } catch (err) {
      warnings.push({ path, problem: `${err instanceof Error ? err.message : String(err)}; skipped.` });
    }
  }
  return { runs, warnings };
}

/** What the browser's directory picker (<input type="file" webkitdirectory>) gives: File objects. */
export interface PickedFile {
  /** e.g. 'logs/<run-dir>/results.csv'; empty when the file was picked alone. */
  webkitRelativePath: string;
  name: string;
  text(): Promise<string>;
}

/** importMadlabLogs over picked files, reading only the results.csv ones; a file that cannot be read becomes a warning. */
export async function importMadlabLogFiles(files: Iterable<PickedFile>): Promise<MadlabImport> {
  const logFiles: LogFile[] = [];
  const warnings: ImportWarning[] = [];
  for (const file of files) {
    const path = file.webkitRelativePath || file.name;
    if (!isResultsCsvPath(path)) continue;
    try {
      logFiles.push({ path, text: await file.text() });
    } catch (err) {
      warnings.push({ path, problem: `the file could not be read (${err instanceof Error ? err.message : String(err)}); skipped.` });
    }
  }
  const imported = importMadlabLogs(logFiles);
  return { runs: imported.runs, warnings: [...warnings, ...imported.warnings] };
}

/** Runs grouped by model id (MAD scores are per model), in the order first seen. */
export function runsByModel(runs: readonly ImportedRun[]): Map<string, ImportedRun[]> {
  const groups = new Map<string, ImportedRun[]>();
  for (const run of runs) {
    const group = groups.get(run.key.modelId);
    if (group === undefined) groups.set(run.key.modelId, [run]);
    else group.push(run);
  }
  return groups;
}

/**
 * The architecture a mad-lab model id stands for when every part is a registry shorthand
 * (benchmark.py's models: default layer configs, d from `dim`); null for other ids.
 */
export function architectureOfModelId(id: string, dim = 128): ArchitectureSpec | null {
  const types = id.split('-').map((short) => LAYERS.find((l) => l.shorthand === short)?.name);
  if (types.length === 0 || types.some((t) => t === undefined)) return null;
  return architectureFromLayers(types as string[], { dim });
}
