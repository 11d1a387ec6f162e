// The MAD radar: one axis per task, one polygon per architecture in its own colour, filling in as
// each task gets a finished run. A task without one has no point rather than a 0, which would read
// as a failed run: the polygon joins only the scored tasks, is drawn dotted while it is missing
// some, and an axis no shown architecture has scored is labelled "not run". The published scores of the
// paper's five Hyena-family models (docs/protocol.md §9, digitised from a figure) can be overlaid in grey
// dashes as a reference, and so can lin-attn-bench's unofficial table (configs/reference/): each
// published table is its own overlay option. A table with the same numbers follows for screen readers.
import { useState } from 'react';
import { PolarAngleAxis, PolarGrid, PolarRadiusAxis, Radar, RadarChart, ResponsiveContainer, Tooltip, type BaseTickContentProps } from 'recharts';
import { loadPublishedTables, PAPER_TABLE_ID, type PublishedTable } from '../../config/publishedScores.ts';
import { useRunsStore } from '../../state/runsStore.ts';
import { TASK_NAMES, type TaskName } from '../../tasks/types.ts';
import { REFERENCE_COLORS } from '../charts/chartColors.ts';
import { RadarAxisTick } from './RadarAxisTick.tsx';
import type { ArchitectureResults } from './resultsModel.ts';

const RADAR_HEIGHT = 380;
const REFERENCE_DASHES = '5 4';
const INCOMPLETE_DOTS = '2 3';

const AXIS_LABELS: Record<TaskName, string> = {
  'in-context-recall': 'Recall',
  'noisy-in-context-recall': 'Noisy recall',
  'fuzzy-in-context-recall': 'Fuzzy recall',
  memorization: 'Memorization',
  compression: 'Compression',
  'selective-copying': 'Selective copy',
};

interface Polygon {
  dataKey: string;
  label: string;
  color: string;
  reference: boolean;
  scores: Partial<Record<TaskName, number>>;
}

export function MadRadar({ results }: { results: readonly ArchitectureResults[] }) {
  const hidden = useRunsStore((state) => state.hiddenArchitectures);
  const toggleArchitecture = useRunsStore((state) => state.toggleArchitecture);
  const showPublished = useRunsStore((state) => state.showPublished);
  const setShowPublished = useRunsStore((state) => state.setShowPublished);
  // The paper's overlay is remembered by the runs store; the other tables' for this visit.
  const [otherTablesShown, setOtherTablesShown] = useState<readonly string[]>([]);
  const tables = loadPublishedTables();
  const isShown = (table: PublishedTable) => (table.id === PAPER_TABLE_ID ? showPublished : otherTablesShown.includes(table.id));
  const setShown = (table: PublishedTable, shown: boolean) => {
    if (table.id === PAPER_TABLE_ID) setShowPublished(shown);
    else setOtherTablesShown((ids) => (shown ? [...ids, table.id] : ids.filter((id) => id !== table.id)));
  };
  const overlaid = tables.filter(isShown);
  const overlaidModels = overlaid.flatMap((table) => table.models.map((model) => ({ table, model })));

  const scored = results.filter((architecture) => Object.keys(architecture.scores.tasks).length > 0);
  const polygons: Polygon[] = [
    ...scored
      .filter((architecture) => !hidden.includes(architecture.key))
      .map((architecture, i) => ({
        dataKey: `lab${i}`,
        label: architecture.label,
        color: architecture.color,
        reference: false,
        scores: Object.fromEntries(Object.entries(architecture.scores.tasks).map(([task, score]) => [task, score.score])),
      })),
    ...overlaidModels.map(({ table, model }, i) => ({
      dataKey: `published${i}`,
      label: table.id === PAPER_TABLE_ID ? `${model.label} (published)` : `${model.label} (${table.id}, unofficial)`,
      color: REFERENCE_COLORS[i % REFERENCE_COLORS.length]!,
      reference: true,
      scores: model.scores,
    })),
  ];
  const labPolygons = polygons.filter((polygon) => !polygon.reference);
  const notRun = (task: TaskName) => labPolygons.length > 0 && labPolygons.every((polygon) => polygon.scores[task] === undefined);
  const notRunLabels = new Set(TASK_NAMES.filter(notRun).map((task) => AXIS_LABELS[task]));
  const data = TASK_NAMES.map((task) => ({
    axis: AXIS_LABELS[task],
    // null, not 0: recharts leaves the point out, and connectNulls joins the neighbours around it.
    ...Object.fromEntries(polygons.map((polygon) => [polygon.dataKey, polygon.scores[task] ?? null])),
  }));
  const complete = (polygon: Polygon) => TASK_NAMES.every((task) => polygon.scores[task] !== undefined);
  const outline = (polygon: Polygon) => (polygon.reference ? REFERENCE_DASHES : complete(polygon) ? undefined : INCOMPLETE_DOTS);

  return (
    <section className="mad-radar panel" aria-labelledby="mad-radar-title">
      <h2 id="mad-radar-title">MAD radar</h2>
      <div className="radar-controls">
        {scored.map((architecture) => (
          <label key={architecture.key} className="checkbox-field">
            <input type="checkbox" checked={!hidden.includes(architecture.key)} onChange={() => toggleArchitecture(architecture.key)} />
            <span className="legend-swatch" style={{ background: architecture.color }} aria-hidden="true" />
            {architecture.label}
          </label>
        ))}
        {tables.map((table) => (
          <label key={table.id} className="checkbox-field">
            <input type="checkbox" checked={isShown(table)} onChange={(e) => setShown(table, e.target.checked)} />
            {table.id === PAPER_TABLE_ID ? 'Published scores (paper’s Hyena family)' : `Published scores: ${table.title}`}
          </label>
        ))}
      </div>
      <figure className="radar-figure" data-testid="mad-radar" data-polygons={polygons.length}>
        <ResponsiveContainer width="100%" height={RADAR_HEIGHT}>
          <RadarChart data={data} outerRadius="72%">
            <PolarGrid stroke="#d3d9e0" />
            <PolarAngleAxis dataKey="axis" tick={(tick: BaseTickContentProps) => <RadarAxisTick {...tick} notRun={notRunLabels.has(String(tick.payload.value))} />} />
            <PolarRadiusAxis domain={[0, 1]} tickCount={6} angle={90} />
            {polygons.map((polygon) => (
              <Radar
                key={polygon.dataKey}
                name={polygon.label}
                dataKey={polygon.dataKey}
                stroke={polygon.color}
                fill={polygon.color}
                fillOpacity={polygon.reference ? 0 : 0.15}
                strokeDasharray={outline(polygon)}
                strokeWidth={2}
                dot={!polygon.reference}
                connectNulls
                isAnimationActive={false}
              />
            ))}
            <Tooltip formatter={(value) => (typeof value === 'number' ? value.toFixed(3) : 'not run')} />
          </RadarChart>
        </ResponsiveContainer>
        {polygons.length === 0 && <p className="empty-note">The radar fills in as runs of each task finish.</p>}
        {overlaid.length > 0 && (
          <figcaption className="table-note">
            {overlaid.map((table) => (
              <span key={table.id} className="published-caption">
                Published: {table.source}.{' '}
                {table.digitised
                  ? `Read off a figure, about ±${table.uncertainty} (memorization ±${table.uncertaintyMemorization}).`
                  : `Copied from a table (±${table.uncertainty} rounding)${table.unofficial ? '; unofficial, not the MAD paper’s runs, and at its own model sizes' : ''}.`}{' '}
              </span>
            ))}
          </figcaption>
        )}
      </figure>
      {/* A table ignores the 1 px width of .visually-hidden; the wrapper clips it instead. */}
      <div className="visually-hidden">
        <table data-testid="radar-values">
          <caption>MAD score per task</caption>
          <thead>
            <tr>
              <th scope="col">Model</th>
              {TASK_NAMES.map((task) => (
                <th key={task} scope="col">
                  {AXIS_LABELS[task]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {polygons.map((polygon) => (
              <tr key={polygon.dataKey}>
                <th scope="row">{polygon.label}</th>
                {TASK_NAMES.map((task) => (
                  <td key={task} data-task={task}>
                    {polygon.scores[task] === undefined ? 'not scored' : polygon.scores[task].toFixed(3)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
