// Results from mad-lab, beside ours: pick a logs directory written by mad-lab's benchmark.py (or
// our CLI's `benchmark`, which writes the same layout), and every run's results.csv is read and
// scored into the results table and the radar. Files that cannot be used are named with the reason;
// they never stop the rest of the import. Notes say what the scores leave out (tasks without runs,
// settings missing sweep points), so a partial folder is not read as a whole benchmark.
import { useMemo, useState, type ChangeEvent } from 'react';
import { importMadlabLogFiles, runsByModel } from '../../share/madlabImport.ts';
import { useImportedResultsStore } from '../../state/importedResultsStore.ts';
import { computeMadScores } from '../../train/madScore.ts';
import { scoreGaps } from '../../train/scoreGaps.ts';
import './importLogs.css';

/** The folder a directory picker's files came from: the first part of their relative paths. */
function folderOf(files: readonly File[]): string {
  return files[0]?.webkitRelativePath.split('/')[0] || 'the chosen folder';
}

export function ImportLogsPanel() {
  const runs = useImportedResultsStore((state) => state.runs);
  const lastImport = useImportedResultsStore((state) => state.lastImport);
  // Over everything imported so far: what the table's and the radar's scores leave out.
  const notes = useMemo(() => [...runsByModel(runs).values()].flatMap((modelRuns) => scoreGaps(computeMadScores(modelRuns))), [runs]);
  const { addImport, clear } = useImportedResultsStore.getState();
  const [reading, setReading] = useState(false);

  async function importFolder(event: ChangeEvent<HTMLInputElement>) {
    const files = [...(event.target.files ?? [])];
    event.target.value = ''; // picking the same folder again must fire another change
    if (files.length === 0) return;
    setReading(true);
    try {
      addImport(await importMadlabLogFiles(files), folderOf(files));
    } finally {
      setReading(false);
    }
  }

  return (
    <section className="import-logs panel" aria-labelledby="import-logs-title">
      <h2 id="import-logs-title">Results from mad-lab</h2>
      <p className="launcher-note">
        Choose a logs folder written by mad-lab’s <code>benchmark.py</code> (or this lab’s <code>benchmark</code> command): each run’s{' '}
        <code>results.csv</code> joins the results table and the radar, scored as mad-lab scores them.
      </p>
      <div className="launcher-actions">
        <label className="button file-button">
          Import a logs folder…
          <input
            type="file"
            multiple
            className="visually-hidden"
            data-testid="import-logs-input"
            disabled={reading}
            // React passes no typed prop for it: the directory picker is a plain attribute.
            ref={(input) => input?.setAttribute('webkitdirectory', '')}
            onChange={(event) => void importFolder(event)}
          />
        </label>
        <button type="button" className="button" onClick={clear} disabled={runs.length === 0 && lastImport === null}>
          Clear imported results
        </button>
      </div>
      {lastImport && (
        <div role="status" data-testid="import-logs-summary">
          <p>
            Read {lastImport.runs} run{lastImport.runs === 1 ? '' : 's'} from {lastImport.folder}
            {lastImport.modelIds.length > 0 && ` (model${lastImport.modelIds.length === 1 ? '' : 's'} ${lastImport.modelIds.join(', ')})`}.
          </p>
          {lastImport.warnings.length > 0 && (
            <ul className="launcher-problems" data-testid="import-logs-warnings">
              {lastImport.warnings.map((warning) => (
                <li key={warning.path}>
                  <code>{warning.path}</code>: {warning.problem}
                </li>
              ))}
            </ul>
          )}
          {notes.length > 0 && (
            <ul className="import-logs-notes" data-testid="import-logs-notes">
              {notes.map((note) => (
                <li key={note}>{note}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
