import { describe, expect, it } from 'vitest';
import { TASK_NAMES } from '../tasks/types.ts';
import { loadPublishedScores, loadPublishedTables, parsePublishedTable } from './publishedScores.ts';

describe('published tables (configs/reference/)', () => {
  const tables = loadPublishedTables();

  it('offers the paper’s table first, then lin-attn-bench’s, labelled as unofficial with its commit and model sizes', () => {
    expect(tables.map((t) => t.id)).toEqual(['published-scores', 'lin-attn-bench']);
    const linAttn = tables[1]!;
    expect(linAttn.title).toBe('lin-attn-bench README (ac6d5ab, unofficial; 400–750K-parameter models)');
    expect(linAttn).toMatchObject({ digitised: false, unofficial: true });
    expect(tables[0]).toMatchObject({ digitised: true, unofficial: false });
    expect(tables[0]!.models).toEqual(loadPublishedScores().models);
  });

  it('holds the README’s six rows, whose task scores average to its means within rounding', () => {
    const linAttn = tables[1]!;
    expect(linAttn.models.map((m) => [m.label, m.preset, m.mean])).toEqual([
      ['Transformer', 'transformer', 0.764],
      ['Mamba', 'mamba', 0.731],
      ['Gated DeltaNet', null, 0.712],
      ['DeltaNet', 'deltanet', 0.697],
      ['GLA', 'gla', 0.679],
      ['PaTH attention', null, 0.808],
    ]);
    expect(linAttn.models[5]!.scores).toEqual({
      compression: 0.419,
      'fuzzy-in-context-recall': 0.647,
      'in-context-recall': 0.999,
      memorization: 0.784,
      'noisy-in-context-recall': 0.999,
      'selective-copying': 0.999,
    });
    for (const model of linAttn.models) {
      const mean = TASK_NAMES.reduce((sum, t) => sum + model.scores[t], 0) / TASK_NAMES.length;
      expect(Math.abs(mean - model.mean), model.label).toBeLessThanOrEqual(0.001);
    }
  });

  it('lets other tables leave preset and perplexity null but not the paper’s, naming file and field', () => {
    const text = (preset: string) =>
      `title: t\nsource: s\ndigitised: false\nuncertainty: 0.001\nuncertainty_memorization: 0.001\nmodels:\n  - {label: a, preset: ${preset}, mean: 0.5, approximate: [], pile_perplexity: null, scores: {compression: 0.5, fuzzy-in-context-recall: 0.5, in-context-recall: 0.5, memorization: 0.5, noisy-in-context-recall: 0.5, selective-copying: 0.5}}\n`;
    expect(parsePublishedTable('other', text('null')).models[0]).toMatchObject({ preset: null, pilePerplexity: null });
    expect(() => parsePublishedTable('published-scores', text('null'))).toThrow(/published-scores\.yml: models\[0\] needs a label and a preset id/);
    expect(() => parsePublishedTable('other', text('x').replace('title: t\n', ''))).toThrow(/other\.yml: needs a title/);
  });
});
