import { describe, expect, it } from 'vitest';
import { loadPublishedTables, type PublishedTable } from '../../config/publishedScores.ts';
import { architectureFromLayers } from '../../model/architecture.ts';
import { countModel } from '../../model/counting.ts';
import { presetById } from '../../model/presets.ts';
import { TASK_GRIDS } from '../../config/taskGridFiles.ts';
import { TASK_NAMES, type TaskName } from '../../tasks/types.ts';
import { computeMadScores } from '../../train/madScore.ts';
import type { ArchitectureResults } from '../results/resultsModel.ts';
import { compareCsv, comparePoints, GROWING_STATE_REASON, measureArchitecture, paretoFrontier, type ComparePoint } from './compareModel.ts';

const point = (id: string, x: number, score: number): ComparePoint => ({ id, label: id, source: 'lab', table: null, color: '#000', x, score, placement: null });

describe('paretoFrontier', () => {
  it('keeps the points no other beats with a higher score for less x, in order of x', () => {
    const points = [point('a', 10, 0.5), point('b', 20, 0.4), point('c', 30, 0.7), point('d', 5, 0.2), point('e', 40, 0.7), point('f', 30, 0.6)];
    expect(paretoFrontier(points).map((p) => p.id)).toEqual(['d', 'a', 'c']);
  });
  it('is empty for no points and the point itself for one', () => {
    expect(paretoFrontier([])).toEqual([]);
    expect(paretoFrontier([point('a', 1, 0)]).map((p) => p.id)).toEqual(['a']);
  });
});

describe('compareCsv', () => {
  it('one row per point with its x, score and frontier flag; fields with commas or quotes are quoted', () => {
    const csv = compareCsv([point('a, "b"', 10, 0.5), point('c', 20, 0.4)], 'state', 'memorization');
    expect(csv.trim().split('\n')).toEqual([
      'label,source,table,state_per_sequence,mad_score_memorization,pareto,placement',
      '"a, ""b""",lab,,10,0.5,true,',
      'c,lab,,20,0.4,false,',
    ]);
  });
});

/** A lab architecture scored on `tasks` with the given score each (through the real MAD scorer). */
function labResult(layers: string[], dim: number, tasks: Partial<Record<TaskName, number>>): ArchitectureResults {
  const architecture = architectureFromLayers(layers, { dim });
  const scores = computeMadScores([]);
  scores.tasks = Object.fromEntries(Object.entries(tasks).map(([task, score]) => [task, { score: score!, settings: [] }]));
  return { key: `lab:${layers.join('-')}:${dim}`, label: `${layers.join('-')} d ${dim}`, color: '#0072b2', source: 'lab', architecture, tasks: {} as ArchitectureResults['tasks'], scores };
}

describe('comparePoints', () => {
  const tables = loadPublishedTables();
  const linAttn = tables.find((t) => t.id === 'lin-attn-bench')!;

  it('places lin-attn-bench models at their matching preset’s counted sizes and lists the ones with no preset', () => {
    const { points, leftOut } = comparePoints({ results: [], tables: [linAttn], presetById }, 'parameters', 'memorization');
    const mamba = points.find((p) => p.id === 'lin-attn-bench:Mamba')!;
    const { vocabSize, seqLen } = TASK_GRIDS.memorization.baseline;
    expect(mamba.x).toBe(countModel(presetById('mamba')!.architecture, { vocabSize, maxLength: seqLen, task: 'memorization' }).total);
    expect(mamba.score).toBe(0.896);
    expect(mamba.placement).toMatch(/our “Mamba” preset/);
    expect(points.map((p) => p.label).sort()).toEqual(['DeltaNet (lin-attn-bench, unofficial)', 'GLA (lin-attn-bench, unofficial)', 'Mamba (lin-attn-bench, unofficial)', 'Transformer (lin-attn-bench, unofficial)']);
    expect(leftOut.map((l) => l.label).sort()).toEqual(['Gated DeltaNet (lin-attn-bench, unofficial)', 'PaTH attention (lin-attn-bench, unofficial)']);
    expect(leftOut[0]!.reason).toMatch(/no preset/);
  });

  it('leaves architectures whose state grows with T out of the state plot, with the reason', () => {
    const { points, leftOut } = comparePoints({ results: [], tables: [linAttn], presetById }, 'state', 'mean');
    expect(points.map((p) => p.id).sort()).toEqual(['lin-attn-bench:DeltaNet', 'lin-attn-bench:GLA', 'lin-attn-bench:Mamba']);
    expect(leftOut.find((l) => l.label.startsWith('Transformer'))?.reason).toBe(GROWING_STATE_REASON);
    const gla = points.find((p) => p.id === 'lin-attn-bench:GLA')!;
    const measure = measureArchitecture(presetById('gla')!.architecture, 'mean');
    if (typeof measure === 'string') throw new Error(measure);
    expect(gla.x).toBe(measure.state);
    expect(measure.state).toBe(countModel(presetById('gla')!.architecture, { vocabSize: 16, maxLength: 128 }).stateTotal);
    expect(gla.score).toBeCloseTo(TASK_NAMES.reduce((s, t) => s + linAttn.models.find((m) => m.label === 'GLA')!.scores[t], 0) / 6, 12);
  });

  it('our runs: a task score places them; the mean only once all six tasks are scored', () => {
    const partial = labResult(['hyena', 'swiglu'], 32, { memorization: 0.6 });
    const all = labResult(['mh-gated-linear-attention', 'swiglu'], 32, Object.fromEntries(TASK_NAMES.map((t) => [t, 0.5])));
    const onTask = comparePoints({ results: [partial, all], tables: [], presetById }, 'flops', 'compression');
    expect(onTask.points.map((p) => p.id)).toEqual([all.key]);
    expect(comparePoints({ results: [partial, all], tables: [], presetById }, 'flops', 'memorization').points.map((p) => p.score)).toEqual([0.6, 0.5]);
    expect(onTask.leftOut.map((l) => l.reason)).toEqual(['not scored on this task yet']);
    const mean = comparePoints({ results: [partial, all], tables: [], presetById }, 'flops', 'mean');
    expect(mean.points.map((p) => [p.id, p.score])).toEqual([[all.key, 0.5]]);
    expect(mean.leftOut[0]!.reason).toMatch(/scored on 1 of 6 tasks/);
  });

  it('an imported model id that names no registry layers is listed as having no sizes', () => {
    const imported: ArchitectureResults = { ...labResult(['mlp'], 16, { compression: 0.3 }), key: 'mad-lab:x', label: 'x (imported)', source: 'mad-lab', architecture: null };
    const { points, leftOut } = comparePoints({ results: [imported], tables: [] as PublishedTable[], presetById }, 'parameters', 'compression');
    expect(points).toEqual([]);
    expect(leftOut).toEqual([{ label: 'x (imported)', source: 'mad-lab', reason: expect.stringMatching(/does not name registry layers/) }]);
  });
});
