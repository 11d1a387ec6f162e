// The Runs page: launch runs, follow them in the run list and their live charts, and compare the
// architectures in the per-task results table and the MAD radar, with results imported from
// mad-lab logs beside ours.
import { useMemo } from 'react';
import { useImportedResultsStore } from '../../state/importedResultsStore.ts';
import { useRunsStore } from '../../state/runsStore.ts';
import { ImportLogsPanel } from '../results/ImportLogsPanel.tsx';
import { MadRadar } from '../results/MadRadar.tsx';
import { architectureResults, importedResults } from '../results/resultsModel.ts';
import { ResultsTable } from '../results/ResultsTable.tsx';
import { RunCharts } from './RunCharts.tsx';
import { RunLauncher } from './RunLauncher.tsx';
import { RunList } from './RunList.tsx';
import { useRunController } from './useRunController.ts';
import './runs.css';

export function RunsPage() {
  const controller = useRunController();
  const runner = useRunsStore((state) => state.runner);
  const runnerProblem = useRunsStore((state) => state.runnerProblem);
  const runs = useRunsStore((state) => state.runs);
  const importedRuns = useImportedResultsStore((state) => state.runs);
  const results = useMemo(() => {
    const lab = architectureResults(Object.values(runs));
    return [...lab, ...importedResults(importedRuns, lab.length)];
  }, [runs, importedRuns]);
  return (
    <div className="runs-page">
      <h1 className="visually-hidden">Runs</h1>
      {runner === 'waiting' && (
        <p className="runner-notice" role="status">
          Another MAD Lab tab is training. This tab shows the saved runs and takes over when that tab closes.
        </p>
      )}
      {runnerProblem && (
        <p className="runner-notice runner-problem" role="alert">
          {runnerProblem}
        </p>
      )}
      <div className="runs-top">
        <RunLauncher controller={controller} />
        <RunList controller={controller} />
      </div>
      <RunCharts />
      <div className="runs-results">
        <ResultsTable results={results} />
        <MadRadar results={results} />
      </div>
      <ImportLogsPanel />
    </div>
  );
}
