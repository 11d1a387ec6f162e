// The published MAD scores of configs/reference/published-scores.yml, for the radar's reference
// overlay. They were digitised from a figure, not copied from a table: every value carries the
// file's stated uncertainty, and values the figure only shows as "about 1.0" are flagged.

import { parse } from 'yaml';
import { TASK_NAMES, type TaskName } from '../tasks/types.ts';
import { configTexts } from './configFiles.ts';

export interface PublishedModelScores {
  /** The figure's legend label. */
  label: string;
  /** The configs/presets id with this model's layer list. */
  preset: string;
  scores: Record<TaskName, number>;
  /** The figure's mean over the six tasks. */
  mean: number;
  /** Tasks whose marker sits at the top of the axis, readable only as ≈ 1.0 (or overlapping). */
  approximate: TaskName[];
  /** Compute-optimal perplexity on The Pile read off the same figure (approximate). */
  pilePerplexity: number;
}

export interface PublishedScores {
  /** Where the numbers come from, for the overlay's caption. */
  source: string;
  /** Always true here: values were read off a figure, so show them as approximate. */
  digitised: boolean;
  /** ± error of a digitised value (memorization has its own, finer axis). */
  uncertainty: number;
  uncertaintyMemorization: number;
  models: PublishedModelScores[];
}

const FILE = 'configs/reference/published-scores.yml';
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function fail(why: string): never {
  throw new Error(`${FILE}: ${why}`);
}

function score(where: string, v: unknown): number {
  if (typeof v !== 'number' || !(v >= 0 && v <= 1)) fail(`${where} must be a number in [0, 1], got ${JSON.stringify(v)}`);
  return v;
}

function parseModel(raw: unknown, i: number): PublishedModelScores {
  const where = `models[${i}]`;
  if (!isRecord(raw)) fail(`${where} must be a mapping`);
  if (typeof raw.label !== 'string' || typeof raw.preset !== 'string') fail(`${where} needs a label and a preset id`);
  if (!isRecord(raw.scores)) fail(`${where}.scores must map each task to its score`);
  const scoreTable = raw.scores;
  const missing = TASK_NAMES.filter((t) => !(t in scoreTable));
  const unknown = Object.keys(scoreTable).filter((t) => !TASK_NAMES.includes(t as TaskName));
  if (missing.length > 0 || unknown.length > 0) fail(`${where}.scores must name the six tasks (missing: ${missing.join(', ') || 'none'}; unknown: ${unknown.join(', ') || 'none'})`);
  const approximate = raw.approximate;
  if (!Array.isArray(approximate) || approximate.some((t) => !TASK_NAMES.includes(t as TaskName))) fail(`${where}.approximate must list task names`);
  if (typeof raw.pile_perplexity !== 'number' || !(raw.pile_perplexity > 1)) fail(`${where}.pile_perplexity must be a number > 1`);
  return {
    label: raw.label,
    preset: raw.preset,
    scores: Object.fromEntries(TASK_NAMES.map((t) => [t, score(`${where}.scores.${t}`, scoreTable[t])])) as Record<TaskName, number>,
    mean: score(`${where}.mean`, raw.mean),
    approximate: approximate as TaskName[],
    pilePerplexity: raw.pile_perplexity,
  };
}

/** Parses the published-scores yml; throws naming the file and the field. */
export function parsePublishedScores(ymlText: string): PublishedScores {
  let doc: unknown;
  try {
    doc = parse(ymlText);
  } catch (err) {
    fail(`invalid YAML: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!isRecord(doc)) fail('expected a mapping with source, digitised, uncertainty, uncertainty_memorization and models');
  if (typeof doc.source !== 'string' || typeof doc.digitised !== 'boolean') fail('needs a source text and digitised: true/false');
  if (typeof doc.uncertainty !== 'number' || typeof doc.uncertainty_memorization !== 'number') fail('needs uncertainty and uncertainty_memorization numbers');
  if (!Array.isArray(doc.models)) fail('models must be a list');
  return {
    source: doc.source,
    digitised: doc.digitised,
    uncertainty: doc.uncertainty,
    uncertaintyMemorization: doc.uncertainty_memorization,
    models: doc.models.map(parseModel),
  };
}

function referenceText(): string {
  const texts = configTexts('reference', () => import.meta.glob('../../configs/reference/*.yml', { query: '?raw', import: 'default', eager: true }));
  return texts['published-scores'] ?? fail('is missing');
}

let cached: PublishedScores | null = null;

export function loadPublishedScores(): PublishedScores {
  cached ??= parsePublishedScores(referenceText());
  return cached;
}
