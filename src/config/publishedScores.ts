// The published MAD score tables of configs/reference/, for the radar's reference overlays and the
// Compare page. Two tables: the paper's (published-scores.yml: the five Hyena-family models,
// digitised from a figure, so every value carries the file's stated uncertainty and values the figure
// only shows as "about 1.0" are flagged), and lin-attn-bench's README table (lin-attn-bench.yml:
// unofficial runs of mad-lab's protocol, copied from a table). Both are read by one parser; the
// paper's is also offered in its narrower historic shape (every model has a preset and a perplexity).

import { parse } from 'yaml';
import { TASK_NAMES, type TaskName } from '../tasks/types.ts';
import { configTexts } from './configFiles.ts';

/** One model of a published table. */
export interface PublishedTableModel {
  /** The source's label (the figure's legend, the README's row). */
  label: string;
  /** The configs/presets id with this model's kind of layer list, or null when we have none. */
  preset: string | null;
  scores: Record<TaskName, number>;
  /** The source's mean over the six tasks. */
  mean: number;
  /** Tasks whose value is readable only as ≈ 1.0 (or overlapping) on a figure. */
  approximate: TaskName[];
  /** Compute-optimal perplexity on The Pile, where the source gives one. */
  pilePerplexity: number | null;
}

/** A published table of MAD scores. */
export interface PublishedTable {
  /** The file name without .yml: 'published-scores' (the paper's) or 'lin-attn-bench'. */
  id: string;
  /** How overlays and legends name the table. */
  title: string;
  /** Where the numbers come from, for captions. */
  source: string;
  /** True: values were read off a figure, so show them as approximate. */
  digitised: boolean;
  /** True: not the MAD paper's own runs. */
  unofficial: boolean;
  /** ± error of a value (memorization has its own, finer axis on the paper's figure). */
  uncertainty: number;
  uncertaintyMemorization: number;
  models: PublishedTableModel[];
}

/** The paper's model, as the paper's table guarantees it: a preset and a perplexity for each. */
export interface PublishedModelScores extends PublishedTableModel {
  preset: string;
  pilePerplexity: number;
}

/** The paper's table (configs/reference/published-scores.yml). */
export interface PublishedScores {
  source: string;
  digitised: boolean;
  uncertainty: number;
  uncertaintyMemorization: number;
  models: PublishedModelScores[];
}

/** The paper's table id, and the order tables are offered in (the paper's first). */
export const PAPER_TABLE_ID = 'published-scores';
export const LIN_ATTN_BENCH_TABLE_ID = 'lin-attn-bench';
const TABLE_ORDER = [PAPER_TABLE_ID, LIN_ATTN_BENCH_TABLE_ID];
const PAPER_TITLE = 'Poli et al. 2024, the paper’s Hyena family (digitised)';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function failer(file: string) {
  return (why: string): never => {
    throw new Error(`${file}: ${why}`);
  };
}

function parseModel(raw: unknown, i: number, fail: (why: string) => never, paper: boolean): PublishedTableModel {
  const where = `models[${i}]`;
  const score = (at: string, v: unknown): number => {
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) fail(`${at} must be a number in [0, 1], got ${JSON.stringify(v)}`);
    return v as number;
  };
  if (!isRecord(raw)) fail(`${where} must be a mapping`);
  const model = raw as Record<string, unknown>;
  const presetOk = typeof model.preset === 'string' || (!paper && model.preset === null);
  if (typeof model.label !== 'string' || !presetOk) fail(paper ? `${where} needs a label and a preset id` : `${where} needs a label and a preset id (or preset: null)`);
  if (!isRecord(model.scores)) fail(`${where}.scores must map each task to its score`);
  const scoreTable = model.scores as Record<string, unknown>;
  const missing = TASK_NAMES.filter((t) => !(t in scoreTable));
  const unknown = Object.keys(scoreTable).filter((t) => !TASK_NAMES.includes(t as TaskName));
  if (missing.length > 0 || unknown.length > 0) fail(`${where}.scores must name the six tasks (missing: ${missing.join(', ') || 'none'}; unknown: ${unknown.join(', ') || 'none'})`);
  const approximate = model.approximate;
  if (!Array.isArray(approximate) || approximate.some((t) => !TASK_NAMES.includes(t as TaskName))) fail(`${where}.approximate must list task names`);
  const perplexity = model.pile_perplexity;
  const perplexityOk = (typeof perplexity === 'number' && perplexity > 1) || (!paper && perplexity === null);
  if (!perplexityOk) fail(paper ? `${where}.pile_perplexity must be a number > 1` : `${where}.pile_perplexity must be a number > 1 or null`);
  return {
    label: model.label as string,
    preset: model.preset as string | null,
    scores: Object.fromEntries(TASK_NAMES.map((t) => [t, score(`${where}.scores.${t}`, scoreTable[t])])) as Record<TaskName, number>,
    mean: score(`${where}.mean`, model.mean),
    approximate: approximate as TaskName[],
    pilePerplexity: perplexity as number | null,
  };
}

/**
 * Parses one published table; throws naming the file and the field. The paper's table
 * (`id` 'published-scores') must give every model a preset and a perplexity; others may say null.
 */
export function parsePublishedTable(id: string, ymlText: string): PublishedTable {
  const fail = failer(`configs/reference/${id}.yml`);
  const paper = id === PAPER_TABLE_ID;
  let doc: unknown;
  try {
    doc = parse(ymlText);
  } catch (err) {
    fail(`invalid YAML: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!isRecord(doc)) fail('expected a mapping with source, digitised, uncertainty, uncertainty_memorization and models');
  const table = doc as Record<string, unknown>;
  if (typeof table.source !== 'string' || typeof table.digitised !== 'boolean') fail('needs a source text and digitised: true/false');
  if (typeof table.uncertainty !== 'number' || typeof table.uncertainty_memorization !== 'number') fail('needs uncertainty and uncertainty_memorization numbers');
  if (!paper && typeof table.title !== 'string') fail('needs a title (how overlays name the table)');
  if (table.unofficial !== undefined && typeof table.unofficial !== 'boolean') fail('unofficial must be true or false');
  if (!Array.isArray(table.models)) fail('models must be a list');
  return {
    id,
    title: typeof table.title === 'string' ? table.title : PAPER_TITLE,
    source: table.source as string,
    digitised: table.digitised as boolean,
    unofficial: table.unofficial === true,
    uncertainty: table.uncertainty as number,
    uncertaintyMemorization: table.uncertainty_memorization as number,
    models: (table.models as unknown[]).map((model, i) => parseModel(model, i, fail, paper)),
  };
}

/** Parses the paper's published-scores yml; throws naming the file and the field. */
export function parsePublishedScores(ymlText: string): PublishedScores {
  const { source, digitised, uncertainty, uncertaintyMemorization, models } = parsePublishedTable(PAPER_TABLE_ID, ymlText);
  // The paper's parse refuses a null preset or perplexity, so the narrowing holds.
  return { source, digitised, uncertainty, uncertaintyMemorization, models: models as PublishedModelScores[] };
}

function referenceTexts(): Record<string, string> {
  return configTexts('reference', () => import.meta.glob('../../configs/reference/*.yml', { query: '?raw', import: 'default', eager: true }));
}

let cachedPaper: PublishedScores | null = null;
let cachedTables: readonly PublishedTable[] | null = null;

export function loadPublishedScores(): PublishedScores {
  cachedPaper ??= parsePublishedScores(referenceTexts()[PAPER_TABLE_ID] ?? failer(`configs/reference/${PAPER_TABLE_ID}.yml`)('is missing'));
  return cachedPaper;
}

/** Every published table of configs/reference/, the paper's first, then lin-attn-bench's, then any other by name. */
export function loadPublishedTables(): readonly PublishedTable[] {
  cachedTables ??= Object.entries(referenceTexts())
    .sort(([a], [b]) => {
      const rank = (id: string) => (TABLE_ORDER.includes(id) ? TABLE_ORDER.indexOf(id) : TABLE_ORDER.length);
      return rank(a) - rank(b) || a.localeCompare(b, 'en');
    })
    .map(([id, text]) => parsePublishedTable(id, text));
  return cachedTables;
}
