// The grids and protocols launched, each with how many of its runs have ended: a protocol's
// progress survives reloads with its runs.
import { useRunsStore } from '../../state/runsStore.ts';
import { sweepProgress } from './runProgress.ts';

export function SweepList() {
  const sweeps = useRunsStore((state) => state.sweeps);
  const runs = useRunsStore((state) => state.runs);
  const launched = Object.values(sweeps)
    .filter((sweep) => sweep.kind !== 'setting')
    .sort((a, b) => b.createdAt - a.createdAt)
    .map((sweep) => ({ sweep, progress: sweepProgress(sweep, runs) }))
    .filter(({ progress }) => progress.total > 0);
  if (launched.length === 0) return null;
  return (
    <ul className="sweep-items" aria-label="Grids and protocols">
      {launched.map(({ sweep, progress }) => (
        <li key={sweep.sweepId} className="sweep-item">
          <span className="run-label">{sweep.label}</span>
          <span className="run-facts">
            {progress.finished} of {progress.total} runs finished
            {progress.stopped > 0 && <>, {progress.stopped} failed or cancelled</>}
          </span>
          <div
            className="run-progress"
            role="progressbar"
            aria-label={`Progress of ${sweep.label}`}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(progress.fraction * 100)}
          >
            <div className="run-progress-bar" style={{ width: `${progress.fraction * 100}%` }} />
          </div>
        </li>
      ))}
    </ul>
  );
}
