import { describe, expect, it } from 'vitest';
import { architectureFromLayers } from '../../model/architecture.ts';
import { drawsSameInstances, useExplorerStore } from '../../state/explorerStore.ts';
import { settingsForTask } from '../../config/taskGridFiles.ts';
import { viewOfStoredRun, type RunView } from '../../state/runsStore.ts';
import { buildDataset } from '../../tasks/dataset.ts';
import { makeSetting } from '../../tasks/settings.ts';
import type { TaskSetting } from '../../tasks/types.ts';
import { DEFAULT_TRAINING, type RunResult } from '../../train/types.ts';
import { DEFAULT_RUN_OPTIONS, type StoredRunStatus } from '../../storage/runRecords.ts';
import { runsWithPredictionsFor, runTitle } from './predictionRuns.ts';

const metrics = { loss: 1, accuracy: 0.5, microAccuracy: 0.5, perplexity: Math.E };
const result: RunResult = {
  status: 'completed',
  bestEpoch: 0,
  row: { train_acc: 0.5, train_ppl: 1, train_loss: 1, test_acc: 0.5, test_ppl: 1, test_loss: 1 },
  epochs: [{ epoch: 0, lr: 1e-3, train: metrics, test: metrics, seconds: 1 }],
  microBatches: 1,
  seconds: 1,
};

function run(runId: string, setting: TaskSetting, status: StoredRunStatus = 'completed'): RunView {
  const finished = status === 'completed' || status === 'early-stopped' || status === 'diverged';
  return viewOfStoredRun(
    {
      runId,
      plan: { architecture: architectureFromLayers(['hyena', 'swiglu'], { dim: 16 }), setting, training: DEFAULT_TRAINING },
      options: DEFAULT_RUN_OPTIONS,
      sweepId: 's',
      sweepKind: 'setting',
      label: `run ${runId}`,
      createdAt: 0,
      status,
      epochs: [],
      checkpointEpoch: null,
      result: finished ? { ...result, status: status as RunResult['status'] } : null,
      failure: null,
    },
    false,
  );
}

const baseline = settingsForTask('memorization')[0]!;

describe('drawsSameInstances', () => {
  it('ignores the split sizes and nothing else', () => {
    expect(drawsSameInstances(baseline, { ...baseline, numTrainExamples: 32, numTestExamples: 8 })).toBe(true);
    expect(drawsSameInstances(baseline, { ...baseline, vocabSize: 512 })).toBe(false);
    expect(drawsSameInstances(baseline, { ...baseline, seed: baseline.seed + 1 })).toBe(false);
  });
});

describe('runsWithPredictionsFor', () => {
  it('offers finished runs of a setting with the same instances, in list order, never diverged or unfinished ones', () => {
    const demo = { ...baseline, numTrainExamples: 256, numTestExamples: 64 };
    const runs = Object.fromEntries(
      [
        run('a', demo),
        run('b', { ...baseline, seqLen: 16 }),
        run('c', baseline, 'early-stopped'),
        run('d', baseline, 'diverged'),
        run('e', baseline, 'running'),
        run('f', makeSetting('compression', { vocabSize: baseline.vocabSize, seqLen: baseline.seqLen })),
      ].map((view) => [view.runId, view]),
    );
    const offered = runsWithPredictionsFor(baseline, runs, ['c', 'b', 'a', 'd', 'e', 'f']);
    expect(offered.map((view) => view.runId)).toEqual(['c', 'a']);
    expect(runTitle(offered[1]!)).toBe('run a (hyena · swiglu)');
  });

  it('leaves out a finished run whose model could not be stored (full disk)', () => {
    const unsaved: RunView = { ...run('g', baseline), saveProblem: { what: 'model', epoch: null, storageFull: true, reason: 'QuotaExceededError' } };
    const saved = run('h', baseline);
    expect(runsWithPredictionsFor(baseline, { g: unsaved, h: saved }, ['g', 'h']).map((view) => view.runId)).toEqual(['h']);
  });
});

describe('explorer store: showPredictions', () => {
  it('shows the run’s setting, its grid chip when it has one, and its test split; hiding goes back to the grid setting', () => {
    const store = useExplorerStore.getState();
    const setting = { ...baseline, numTrainExamples: 3, numTestExamples: 2 };
    store.showPredictions('r1', setting);
    let state = useExplorerStore.getState();
    expect(state.predictionSource).toEqual({ runId: 'r1', setting });
    expect(state.task).toBe('memorization');
    expect(state.settingIndex).toBe(0);
    // The first test instance is the first row of the run's test split (after its three training draws).
    const data = buildDataset(setting);
    expect(Array.from(state.example.test.inputs)).toEqual(Array.from(data.test.inputs.slice(0, data.test.inputLength)));
    expect(Array.from(state.example.test.targets)).toEqual(Array.from(data.test.targets.slice(0, data.test.inputLength)));

    state.hidePredictions();
    state = useExplorerStore.getState();
    expect(state.predictionSource).toBeNull();
    expect(state.settingIndex).toBe(0);

    useExplorerStore.getState().showPredictions('r2', { ...setting, seqLen: 12 });
    expect(useExplorerStore.getState().settingIndex).toBe(-1);
    useExplorerStore.getState().hidePredictions();
  });
});
