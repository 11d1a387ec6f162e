// The Compare page: designs at matched size, as the MAD paper compares them. Every scored
// architecture — our runs, imported mad-lab logs, and the published tables placed at the sizes of our
// matching preset — as a point of MAD score (the mean, or one task's) against state per sequence,
// parameters or FLOPs per step, labelled, with the Pareto frontier drawn; what cannot be placed is
// listed with the reason. Below, the width sweeps' accuracy against state size. Charts save as PNG
// and SVG, their data as CSV. Every control is a native select, radio or checkbox (keyboard ready).
import { useMemo, useRef, useState } from 'react';
import { loadPublishedTables } from '../../config/publishedScores.ts';
import { presetById } from '../../model/presets.ts';
import { useImportedResultsStore } from '../../state/importedResultsStore.ts';
import { useRunsStore } from '../../state/runsStore.ts';
import { TASK_NAMES, type TaskName } from '../../tasks/types.ts';
import { ChoiceChips } from '../explorer/ChoiceChips.tsx';
import { TASK_DESCRIPTIONS } from '../explorer/taskDescriptions.ts';
import { architectureResults, importedResults } from '../results/resultsModel.ts';
import { ChartExportButtons } from './ChartExportButtons.tsx';
import { CompareChart } from './CompareChart.tsx';
import { formatCount } from './compareFormat.ts';
import { AXIS_TITLES, compareCsv, comparePoints, paretoFrontier, type CompareAxis, type CompareScore } from './compareModel.ts';
import { WidthSweepSection } from './WidthSweepChart.tsx';
import './compare.css';

const AXES: { value: CompareAxis; label: string }[] = [
  { value: 'state', label: 'State per sequence' },
  { value: 'parameters', label: 'Parameters' },
  { value: 'flops', label: 'FLOPs per step' },
];

const SOURCE_NAMES = { lab: 'our run', 'mad-lab': 'imported mad-lab logs', published: 'published' } as const;

export function ComparePage() {
  const runs = useRunsStore((state) => state.runs);
  const importedRuns = useImportedResultsStore((state) => state.runs);
  const [axis, setAxis] = useState<CompareAxis>('parameters');
  const [score, setScore] = useState<CompareScore>('mean');
  const tables = loadPublishedTables();
  const [hiddenTables, setHiddenTables] = useState<readonly string[]>([]);
  const figure = useRef<HTMLElement>(null);

  const results = useMemo(() => {
    const lab = architectureResults(Object.values(runs));
    return [...lab, ...importedResults(importedRuns, lab.length)];
  }, [runs, importedRuns]);
  const shownTables = tables.filter((table) => !hiddenTables.includes(table.id));
  const { points, leftOut } = useMemo(() => comparePoints({ results, tables: shownTables, presetById }, axis, score), [results, shownTables, axis, score]);
  const frontier = useMemo(() => paretoFrontier(points), [points]);
  const scoreTitle = score === 'mean' ? 'MAD score (mean of six tasks)' : `MAD score, ${TASK_DESCRIPTIONS[score].title}`;
  const countedAt = score === 'mean' ? 'averaged over the six tasks’ baseline settings' : `at ${TASK_DESCRIPTIONS[score].title}’s baseline setting`;

  return (
    <div className="compare-page">
      <h1>Compare architectures at matched size</h1>
      <p className="compare-intro">
        The MAD paper compares designs at matched state and parameters. Each point is one architecture’s MAD score against its size; the dark line is the Pareto frontier,
        the designs no other scores higher with less. Sizes are counted by tracing the model {countedAt}, with batch 128 for FLOPs.
      </p>
      <section className="panel" aria-labelledby="compare-chart-title">
        <h2 id="compare-chart-title">
          {scoreTitle} against {AXIS_TITLES[axis].toLowerCase()}
        </h2>
        <div className="compare-controls">
          <div className="select-field">
            <label htmlFor="compare-score">Score</label>
            <select id="compare-score" value={score} onChange={(e) => setScore(e.target.value as CompareScore)}>
              <option value="mean">Mean of the six tasks</option>
              {TASK_NAMES.map((task: TaskName) => (
                <option key={task} value={task}>
                  {TASK_DESCRIPTIONS[task].title}
                </option>
              ))}
            </select>
          </div>
          <fieldset className="picker">
            <legend>Against</legend>
            <ChoiceChips<CompareAxis> name="compare-axis" choices={AXES} selected={axis} onSelect={setAxis} />
          </fieldset>
          <fieldset className="picker">
            <legend>Published tables</legend>
            {tables.map((table) => (
              <label key={table.id} className="checkbox-field">
                <input
                  type="checkbox"
                  checked={!hiddenTables.includes(table.id)}
                  onChange={(e) => setHiddenTables((ids) => (e.target.checked ? ids.filter((id) => id !== table.id) : [...ids, table.id]))}
                />
                {table.title}
              </label>
            ))}
          </fieldset>
        </div>
        <CompareChart ref={figure} points={points} frontier={frontier} xTitle={AXIS_TITLES[axis]} yTitle={scoreTitle} />
        {points.length === 0 && <p className="empty-note">No architecture has a score to place here yet: finish runs of this task on the Runs page, import mad-lab logs there, or show a published table.</p>}
        <p className="table-note">
          Circles: our runs; squares: imported mad-lab logs; grey diamonds: published tables, placed at the sizes of our preset with the same kind of layers (the tooltip says which),
          so their x is our preset’s, not the published model’s own. Where labels would overlap, some are left out: hover a point, or open the table below.
          {axis === 'state' && ' Attention and long convolutions have no fixed state per sequence (it grows with the length), so they are left out of this plot and listed below.'}
        </p>
        <ChartExportButtons figure={figure} baseName={`mad-compare-${score}-${axis}`} csv={() => compareCsv(points, axis, score)} what="the comparison chart" />
        <details className="compare-table">
          <summary>The plotted points as a table</summary>
          <table data-testid="compare-values">
            <thead>
              <tr>
                <th scope="col">Architecture</th>
                <th scope="col">Source</th>
                <th scope="col">{AXIS_TITLES[axis]}</th>
                <th scope="col">MAD score</th>
                <th scope="col">Pareto</th>
              </tr>
            </thead>
            <tbody>
              {points.map((point) => (
                <tr key={point.id}>
                  <th scope="row">{point.label}</th>
                  <td>{point.table ?? SOURCE_NAMES[point.source]}</td>
                  <td>{formatCount(point.x)}</td>
                  <td>{point.score.toFixed(3)}</td>
                  <td>{frontier.includes(point) ? 'on the frontier' : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
        {leftOut.length > 0 && (
          <>
            <h3>Not placed</h3>
            <ul className="compare-left-out" data-testid="compare-left-out">
              {leftOut.map((item) => (
                <li key={`${item.source}|${item.label}`}>
                  <strong>{item.label}</strong> ({SOURCE_NAMES[item.source]}): {item.reason}.
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
      <WidthSweepSection />
    </div>
  );
}
