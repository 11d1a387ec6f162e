// Results on disk, laid out as mad-lab lays them out: `<logs>/<run-dir>/results.csv`, a header of
// mad-lab's six columns and one row, as pandas writes it (floats as Python prints them, NaN as an
// empty field), so mad-lab's analysis.py reads our logs and we read its logs. Beside it, our
// run.json (status, epochs, plan). results.csv is written last, by rename, so its presence means
// the run finished.
//
// Files are read with suspicion: a results.csv that does not parse or holds impossible values (an
// accuracy of 7, a perplexity below 1) makes the run unfinished, so it is trained again, and a
// run.json that is not valid JSON or not a run summary is ignored (the row stands alone, as a run
// mad-lab wrote). Either is a warning naming the file, once per store, never a crash.

import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pythonFloatRepr } from '../tasks/settings.ts';
import { impossibleResults } from './madScore.ts';
import { summaryOf, type ResultsStore, type RunSummary, type StoredRun } from './resultsStore.ts';
import { RESULTS_COLUMNS, type ResultsRow, type RunPlan, type RunResult } from './types.ts';

export const RESULTS_FILE = 'results.csv';
export const SUMMARY_FILE = 'run.json';

/** pandas' to_csv of one float: repr, '' for NaN, inf/-inf. */
function formatCsvFloat(x: number): string {
  if (Number.isNaN(x)) return '';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  return pythonFloatRepr(x);
}

/** Texts pandas' read_csv takes for NaN by default (the common ones). */
const NAN_TEXTS = new Set(['', 'nan', 'NaN', 'NAN', '-nan', 'NA', 'N/A', 'null']);

function parseCsvFloat(text: string, where: string): number {
  const t = text.trim();
  if (NAN_TEXTS.has(t)) return NaN;
  if (t === 'inf' || t === 'Infinity') return Infinity;
  if (t === '-inf' || t === '-Infinity') return -Infinity;
  const value = Number(t);
  if (Number.isNaN(value)) throw new Error(`${where}: '${text}' is not a number`);
  return value;
}

/** The text of a results.csv holding `row`. */
export function formatResultsCsv(row: ResultsRow): string {
  return `${RESULTS_COLUMNS.join(',')}\n${RESULTS_COLUMNS.map((c) => formatCsvFloat(row[c])).join(',')}\n`;
}

/** Reads mad-lab's results.csv (columns by name, any order; an unnamed index column is allowed). */
export function parseResultsCsv(text: string, file: string): ResultsRow {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (lines.length !== 2) throw new Error(`${file}: expected a header and one row, found ${lines.length} non-empty lines`);
  const header = lines[0]!.split(',').map((h) => h.trim());
  const values = lines[1]!.split(',');
  if (values.length !== header.length) throw new Error(`${file}: the row has ${values.length} fields, the header ${header.length}`);
  const row = {} as ResultsRow;
  for (const column of RESULTS_COLUMNS) {
    const index = header.indexOf(column);
    if (index < 0) throw new Error(`${file}: column ${column} is missing (header: ${header.join(',')})`);
    row[column] = parseCsvFloat(values[index]!, `${file}, ${column}`);
  }
  return row;
}

export class FileResultsStore implements ResultsStore {
  /** Files already warned about: a benchmark reads each run more than once. */
  private readonly warned = new Set<string>();

  /** `warn` receives one line per unusable file (default: stderr). */
  constructor(
    readonly logsDir: string,
    private readonly warn: (message: string) => void = (message) => console.warn(`warning: ${message}`),
  ) {}

  runPath(runDir: string): string {
    return join(this.logsDir, runDir);
  }

  /** True when results.csv exists and holds a possible row. */
  async has(runDir: string): Promise<boolean> {
    return this.readRow(join(this.runPath(runDir), RESULTS_FILE)) !== undefined;
  }

  async get(runDir: string): Promise<StoredRun | undefined> {
    const row = this.readRow(join(this.runPath(runDir), RESULTS_FILE));
    if (row === undefined) return undefined;
    const summaryPath = join(this.runPath(runDir), SUMMARY_FILE);
    if (!existsSync(summaryPath)) return { row };
    let summary: unknown;
    try {
      summary = JSON.parse(readFileSync(summaryPath, 'utf8'), nonFiniteNumbers);
    } catch (error) {
      this.warnOnce(summaryPath, `${summaryPath}: not valid JSON (${error instanceof Error ? error.message : String(error)}); ignored, results.csv stands alone`);
      return { row };
    }
    const problem = runSummaryProblem(summary);
    if (problem !== undefined) {
      this.warnOnce(summaryPath, `${summaryPath}: not a run summary (${problem}); ignored, results.csv stands alone`);
      return { row };
    }
    return { row, summary: summary as RunSummary };
  }

  /** The row of a results.csv, or undefined when it is missing, malformed or impossible (warned). */
  private readRow(file: string): ResultsRow | undefined {
    if (!existsSync(file)) return undefined;
    let row: ResultsRow;
    try {
      row = parseResultsCsv(readFileSync(file, 'utf8'), file);
    } catch (error) {
      // parseResultsCsv's messages name the file already.
      this.warnOnce(file, `${error instanceof Error ? error.message : String(error)}; the run counts as unfinished and is trained again`);
      return undefined;
    }
    const impossible = impossibleResults(row);
    if (impossible === undefined) return row;
    this.warnOnce(file, `${file}: impossible results (${impossible}); the run counts as unfinished and is trained again`);
    return undefined;
  }

  private warnOnce(file: string, message: string): void {
    if (this.warned.has(file)) return;
    this.warned.add(file);
    this.warn(message);
  }

  async start(runDir: string, plan: RunPlan): Promise<void> {
    const path = this.runPath(runDir);
    // mad-lab deletes a log directory without results.csv and trains the run again.
    rmSync(path, { recursive: true, force: true });
    mkdirSync(path, { recursive: true });
    const summary: RunSummary = { status: 'running', plan, bestEpoch: null, epochs: [], microBatches: 1, seconds: 0 };
    writeFileAtomically(join(path, SUMMARY_FILE), `${JSON.stringify(summary, null, 2)}\n`);
  }

  async put(runDir: string, plan: RunPlan, result: RunResult): Promise<void> {
    const path = this.runPath(runDir);
    mkdirSync(path, { recursive: true });
    writeFileAtomically(join(path, SUMMARY_FILE), `${JSON.stringify(summaryOf(plan, result), jsonNumbers, 2)}\n`);
    writeFileAtomically(join(path, RESULTS_FILE), formatResultsCsv(result.row));
  }

  async list(): Promise<string[]> {
    if (!existsSync(this.logsDir)) return [];
    return readdirSync(this.logsDir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && this.readRow(join(this.logsDir, e.name, RESULTS_FILE)) !== undefined)
      .map((e) => e.name)
      .sort();
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What is missing from a parsed run.json, or undefined when it has the parts this lab reads. */
function runSummaryProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'not an object';
  if (typeof value.status !== 'string') return 'no status';
  if (!Array.isArray(value.epochs)) return 'no epochs list';
  const plan = value.plan;
  if (!isRecord(plan)) return 'no plan';
  for (const part of ['architecture', 'setting', 'training'] as const) if (!isRecord(plan[part])) return `no plan.${part}`;
  const layers = (plan.architecture as Record<string, unknown>).layers;
  if (!Array.isArray(layers) || !layers.every(isRecord)) return 'plan.architecture.layers is not a list of layers';
  return undefined;
}

/** JSON has no NaN or infinities: write them as strings a reader can tell apart. */
function jsonNumbers(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
}

/** Inverse of jsonNumbers. */
function nonFiniteNumbers(_key: string, value: unknown): unknown {
  if (value === 'NaN') return NaN;
  if (value === 'Infinity') return Infinity;
  return value === '-Infinity' ? -Infinity : value;
}

function writeFileAtomically(path: string, text: string): void {
  const partial = `${path}.partial-${process.pid}`;
  writeFileSync(partial, text);
  renameSync(partial, path);
}
