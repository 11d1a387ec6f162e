import { describe, expect, it } from 'vitest';
import { architectureFromLayers, type ArchitectureSpec } from '../../model/architecture.ts';
import { viewOfStoredRun, type RunView } from '../../state/runsStore.ts';
import { makeSetting } from '../../tasks/settings.ts';
import type { TaskName } from '../../tasks/types.ts';
import { DEFAULT_TRAINING, type RunResult } from '../../train/types.ts';
import { DEFAULT_RUN_OPTIONS } from '../../storage/runRecords.ts';
import { OKABE_ITO } from '../charts/chartColors.ts';
import { importMadlabLogs } from '../../share/madlabImport.ts';
import { runDirName } from '../../train/runKey.ts';
import { architectureResults, importedResults } from './resultsModel.ts';

const attention = architectureFromLayers(['mh-attention', 'swiglu'], { dim: 16 });
const hyena = architectureFromLayers(['hyena', 'swiglu'], { dim: 16 });

let created = 0;
function run(architecture: ArchitectureSpec, task: TaskName, vocabSize: number, lr: number, testAcc: number | null): RunView {
  const result: RunResult | null =
    testAcc === null
      ? null
      : { status: 'completed', bestEpoch: 0, row: { train_acc: 1, train_ppl: 1, train_loss: 0, test_acc: testAcc, test_ppl: 1, test_loss: 0 }, epochs: [], microBatches: 1, seconds: 1 };
  created++;
  return viewOfStoredRun(
    {
      runId: `r${created}`,
      plan: { architecture, setting: makeSetting(task, { vocabSize, seqLen: 16 }), training: { ...DEFAULT_TRAINING, lr } },
      options: DEFAULT_RUN_OPTIONS,
      sweepId: 's',
      sweepKind: 'grid',
      label: task,
      createdAt: created,
      status: result ? 'completed' : 'running',
      epochs: [],
      checkpointEpoch: null,
      result,
      failure: null,
    },
    false,
  );
}

describe('architectureResults', () => {
  it('scores each architecture as mad-lab does: best over the sweep per setting, mean over settings', () => {
    const runs = [
      run(attention, 'in-context-recall', 16, 1e-3, 0.5),
      run(attention, 'in-context-recall', 16, 5e-4, 0.7),
      run(attention, 'in-context-recall', 32, 1e-3, 0.3),
      run(attention, 'memorization', 16, 1e-3, null),
      run(hyena, 'in-context-recall', 16, 1e-3, NaN),
      run(hyena, 'in-context-recall', 32, 1e-3, 0.4),
    ];
    const [first, second] = architectureResults(runs);
    expect(first?.label).toBe('mA-Sg, d 16');
    expect(first?.color).toBe(OKABE_ITO[0]);
    expect(first?.tasks['in-context-recall']).toEqual({ runs: 3, finished: 3, bestTestAccuracy: 0.7, madScore: 0.5, settingsScored: 2 });
    expect(first?.tasks.memorization).toEqual({ runs: 1, finished: 0, bestTestAccuracy: null, madScore: null, settingsScored: 0 });
    expect(first?.scores.mean).toBeCloseTo(0.5, 12);

    // The NaN row (a diverged run) is dropped from the score, as analysis.py drops it.
    expect(second?.color).toBe(OKABE_ITO[1]);
    expect(second?.tasks['in-context-recall']).toMatchObject({ finished: 2, bestTestAccuracy: 0.4, madScore: 0.4, settingsScored: 1 });
    expect(second?.scores.dropped).toHaveLength(1);
  });

  it('tells two widths of one layer stack apart', () => {
    const wide = architectureFromLayers(['mh-attention', 'swiglu'], { dim: 32 });
    expect(architectureResults([run(attention, 'memorization', 16, 1e-3, 0.9), run(wide, 'memorization', 16, 1e-3, 0.95)])).toHaveLength(2);
  });

  it('marks each entry as trained here', () => {
    expect(architectureResults([run(attention, 'memorization', 16, 1e-3, 0.9)])[0]).toMatchObject({ source: 'lab', architecture: attention });
  });
});

describe('importedResults', () => {
  const csv = (testAcc: number) => `train_acc,train_ppl,train_loss,test_acc,test_ppl,test_loss\n1,1,0,${testAcc},1,0\n`;
  const dir = (task: TaskName, vocabSize: number, lr: number, modelId: string) =>
    runDirName({ setting: makeSetting(task, { vocabSize, seqLen: 16 }), batchSize: 128, epochs: 200, lr, weightDecay: 0, optimizer: 'adamw', scheduler: 'cosine', modelId });

  it("scores mad-lab's runs per model id as analysis.py does, coloured after the lab's own", () => {
    const { runs } = importMadlabLogs([
      { path: `logs/${dir('memorization', 16, 1e-3, 'H-Sg')}/results.csv`, text: csv(0.4) },
      { path: `logs/${dir('memorization', 16, 1e-4, 'H-Sg')}/results.csv`, text: csv(0.6) },
      { path: `logs/${dir('memorization', 32, 1e-3, 'H-Sg')}/results.csv`, text: csv(0.2) },
      { path: `logs/${dir('in-context-recall', 16, 1e-3, 'H-Sg')}/results.csv`, text: csv(0.9) },
      { path: `logs/${dir('in-context-recall', 16, 1e-3, 'mA-Sg')}/results.csv`, text: csv(0.7) },
    ]);
    const [hyena, attentionImport] = importedResults(runs, 2);
    expect(hyena).toMatchObject({ key: 'mad-lab:H-Sg', label: 'H-Sg (imported from mad-lab)', color: OKABE_ITO[2], source: 'mad-lab' });
    expect(hyena!.architecture?.layers.map((l) => l.type)).toEqual(['hyena', 'swiglu']);
    expect(hyena!.tasks.memorization).toEqual({ runs: 3, finished: 3, bestTestAccuracy: 0.6, madScore: 0.4, settingsScored: 2 });
    expect(hyena!.scores.mean).toBeCloseTo((0.4 + 0.9) / 2, 12);
    expect(attentionImport).toMatchObject({ key: 'mad-lab:mA-Sg', color: OKABE_ITO[3] });
    expect(attentionImport!.tasks['in-context-recall'].madScore).toBe(0.7);
  });
});
