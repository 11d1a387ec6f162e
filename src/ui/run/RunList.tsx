// Every run, newest first: what it trains, its state, a progress bar with the epoch and the time
// left (estimated from the adapter's measured speed while it is queued), the last saved checkpoint, and its buttons (pause, resume, cancel while it lives; continue
// from its checkpoint or start again once it failed or was cancelled; remove once it ended; a link
// to its predictions in the Task Explorer once it finished). Warnings say when checkpoints could
// not be saved (storage full) and when a stored checkpoint was not used. Selecting a run shows its
// charts.
import { useExplorerStore } from '../../state/explorerStore.ts';
import { useRunsStore, type RunView } from '../../state/runsStore.ts';
import type { RunController } from '../../runs/runController.ts';
import { hasPredictions } from '../explorer/predictionRuns.ts';
import { DownloadWeightsButton } from './DownloadWeightsButton.tsx';
import { pageHref } from '../layout/useHashRoute.ts';
import { checkpointUnusedText, etaSeconds, formatDuration, progressFraction, remainingWorkload, restartLabel, saveProblemText, statusLabel } from './runProgress.ts';
import { gateEstimateText } from '../gpuCheck/adapterEstimate.ts';
import { useGpuGate } from '../gpuCheck/useGpuGate.ts';
import type { GpuGateState } from '../../runs/gpuCheckGate.ts';
import { SweepList } from './SweepList.tsx';
import { useNow } from './useNow.ts';

interface RunListProps {
  controller: RunController | null;
}

export function RunList({ controller }: RunListProps) {
  const order = useRunsStore((state) => state.order);
  const runs = useRunsStore((state) => state.runs);
  const selectedRunId = useRunsStore((state) => state.selectedRunId) ?? order[0] ?? null;
  const selectRun = useRunsStore((state) => state.selectRun);
  const training = order.some((id) => runs[id]?.clock);
  const now = useNow(training);
  const gate = useGpuGate();

  return (
    <section className="run-list panel" aria-labelledby="run-list-title">
      <h2 id="run-list-title">Runs</h2>
      <SweepList />
      {order.length === 0 ? (
        <p className="empty-note">No runs yet. Choose a task and a model, then press Run.</p>
      ) : (
        <ol className="run-items">
          {order.map((id) => {
            const run = runs[id];
            return run ? (
              <RunItem key={id} run={run} now={now} gate={gate} selected={id === selectedRunId} onSelect={() => selectRun(id)} controller={controller} />
            ) : null;
          })}
        </ol>
      )}
    </section>
  );
}

interface RunItemProps {
  run: RunView;
  now: number;
  /** Its speed estimates a queued run's time until the run's own ETA is measured. */
  gate: GpuGateState;
  selected: boolean;
  onSelect: () => void;
  controller: RunController | null;
}

function RunItem({ run, now, gate, selected, onSelect, controller }: RunItemProps) {
  const fraction = progressFraction(run);
  const eta = etaSeconds(run, now);
  const live = run.status === 'running' || run.status === 'interrupted' || run.status === 'queued';
  const ended = !live && run.status !== 'paused';
  const restartable = run.status === 'failed' || run.status === 'cancelled';
  // An unsaved model leaves nothing to predict with.
  const predictions = hasPredictions(run);
  const epochText = `epoch ${Math.min(run.totalEpochs, Math.floor(run.position))} of ${run.totalEpochs}`;
  return (
    <li className="run-item" data-status={run.status} data-selected={selected} data-testid="run-item">
      <div className="run-item-head">
        <button type="button" className="run-select" aria-pressed={selected} onClick={onSelect}>
          <span className="run-label">{run.label}</span>
          <span className="run-model">{run.plan.architecture.name ?? run.plan.architecture.layers.map((l) => l.type).join(' · ')}</span>
        </button>
        <span className="run-status" data-testid="run-status">
          {statusLabel(run)}
        </span>
      </div>
      <div
        className="run-progress"
        role="progressbar"
        aria-label={`Progress of ${run.label}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(fraction * 100)}
      >
        <div className="run-progress-bar" style={{ width: `${fraction * 100}%` }} />
      </div>
      <div className="run-item-foot">
        <span className="run-facts">
          {epochText}
          {eta !== null && <> · about {formatDuration(eta)} left</>}
          {eta === null && run.status === 'queued' && <span data-testid="run-estimate"> · estimated {gateEstimateText(remainingWorkload(run), gate)}</span>}
          {run.checkpointEpoch !== null && (!ended || restartable) && <span data-testid="run-checkpoint"> · saved after epoch {run.checkpointEpoch + 1}</span>}
          {run.resumedFrom !== null && <span data-testid="run-resumed"> · continued from the checkpoint after epoch {run.resumedFrom + 1}</span>}
          {run.result && (
            // The whole row rides along for tests that compare two runs' results exactly.
            <span data-testid="run-result" data-row={JSON.stringify(run.result.row)}>
              {' '}
              · test accuracy {run.result.row.test_acc.toFixed(3)}
            </span>
          )}
        </span>
        <span className="run-actions">
          {predictions && (
            <a
              className="button button-quiet"
              href={pageHref('explorer')}
              aria-label={`See predictions of ${run.label}`}
              // The store is set before the hash changes, so the explorer opens on this run's test split.
              onClick={() => useExplorerStore.getState().showPredictions(run.runId, run.plan.setting)}
            >
              See predictions
            </a>
          )}
          {predictions && <DownloadWeightsButton run={run} />}
          {run.status === 'running' && (
            <button type="button" className="button button-quiet" disabled={!controller} aria-label={`Pause ${run.label}`} onClick={() => controller?.pause(run.runId)}>
              Pause
            </button>
          )}
          {run.status === 'paused' && (
            <button type="button" className="button button-quiet" disabled={!controller} aria-label={`Resume ${run.label}`} onClick={() => controller?.resume(run.runId)}>
              Resume
            </button>
          )}
          {!ended && (
            <button type="button" className="button button-quiet" disabled={!controller} aria-label={`Cancel ${run.label}`} onClick={() => controller?.cancel(run.runId)}>
              Cancel
            </button>
          )}
          {restartable && (
            <button
              type="button"
              className="button button-quiet"
              disabled={!controller}
              aria-label={run.checkpointEpoch === null ? `Start ${run.label} again` : `Continue ${run.label} from epoch ${run.checkpointEpoch + 2}`}
              title={run.checkpointEpoch === null ? 'No checkpoint was saved: training starts from epoch 1.' : `From its checkpoint saved after epoch ${run.checkpointEpoch + 1}.`}
              onClick={() => controller?.restart(run.runId)}
            >
              {restartLabel(run)}
            </button>
          )}
          {ended && (
            <button type="button" className="button button-quiet" disabled={!controller} aria-label={`Remove ${run.label}`} onClick={() => void controller?.remove(run.runId)}>
              Remove
            </button>
          )}
        </span>
      </div>
      {run.saveProblem && (
        <p className="run-warning" role="status" data-testid="run-save-warning">
          {saveProblemText(run.saveProblem)}
        </p>
      )}
      {run.checkpointUnused && (
        <p className="run-note" data-testid="run-checkpoint-unused">
          {checkpointUnusedText(run.checkpointUnused)}
        </p>
      )}
      {run.failure && (
        <p className="run-failure" role="status">
          {run.failure}
        </p>
      )}
    </li>
  );
}
