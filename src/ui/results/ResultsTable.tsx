// Per task and architecture: runs finished, the best test accuracy of any run, and the MAD score
// (mean over the settings scored so far of each setting's best test accuracy over its sweep), for
// the lab's runs and for runs imported from mad-lab alike (each row says which it is); under them,
// each model's mean across the tasks it has scores for, as mad-lab prints it.
import { TASK_NAMES } from '../../tasks/types.ts';
import { TASK_DESCRIPTIONS } from '../explorer/taskDescriptions.ts';
import type { ArchitectureResults } from './resultsModel.ts';

const score = (value: number | null) => (value === null ? '—' : value.toFixed(3));

export function ResultsTable({ results }: { results: readonly ArchitectureResults[] }) {
  return (
    <section className="results-table-section panel" aria-labelledby="results-table-title">
      <h2 id="results-table-title">Results per task</h2>
      {results.length === 0 ? (
        <p className="empty-note">Scores appear here as runs finish.</p>
      ) : (
        <table className="results-table" data-testid="results-table">
          <thead>
            <tr>
              <th scope="col">Task</th>
              <th scope="col">Model</th>
              <th scope="col">Runs finished</th>
              <th scope="col">Best test accuracy</th>
              <th scope="col">MAD score</th>
            </tr>
          </thead>
          <tbody>
            {TASK_NAMES.flatMap((task) =>
              results
                .filter((architecture) => architecture.tasks[task].runs > 0)
                .map((architecture) => {
                  const result = architecture.tasks[task];
                  return (
                    <tr key={`${task}|${architecture.key}`} data-task={task} data-source={architecture.source}>
                      <th scope="row">{TASK_DESCRIPTIONS[task].title}</th>
                      <td>
                        <span className="legend-swatch" style={{ background: architecture.color }} aria-hidden="true" />
                        {architecture.label}
                      </td>
                      <td>
                        {result.finished} of {result.runs}
                      </td>
                      <td>{score(result.bestTestAccuracy)}</td>
                      <td data-testid="mad-score">
                        {score(result.madScore)}
                        {result.settingsScored > 0 && <span className="table-note"> over {result.settingsScored} setting{result.settingsScored === 1 ? '' : 's'}</span>}
                      </td>
                    </tr>
                  );
                }),
            )}
          </tbody>
          <tfoot>
            {results
              .filter((architecture) => architecture.scores.mean !== null)
              .map((architecture) => {
                const scored = Object.keys(architecture.scores.tasks).length;
                return (
                  <tr key={architecture.key} data-source={architecture.source} data-model={architecture.label}>
                    <th scope="row">Mean across tasks</th>
                    <td>
                      <span className="legend-swatch" style={{ background: architecture.color }} aria-hidden="true" />
                      {architecture.label}
                    </td>
                    <td colSpan={2} />
                    <td data-testid="mad-mean">
                      {score(architecture.scores.mean)}
                      <span className="table-note">
                        {' '}
                        over {scored} task{scored === 1 ? '' : 's'}
                      </span>
                    </td>
                  </tr>
                );
              })}
          </tfoot>
        </table>
      )}
    </section>
  );
}
