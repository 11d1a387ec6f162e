import { beforeEach, describe, expect, it } from 'vitest';
import { importMadlabLogs } from '../share/madlabImport.ts';
import { makeSetting } from '../tasks/settings.ts';
import { runDirName } from '../train/runKey.ts';
import { useImportedResultsStore } from './importedResultsStore.ts';

const store = () => useImportedResultsStore.getState();
const csv = (testAcc: number) => `train_acc,train_ppl,train_loss,test_acc,test_ppl,test_loss\n1,1,0,${testAcc},1,0\n`;
const dir = (lr: number) =>
  runDirName({ setting: makeSetting('memorization', { vocabSize: 16, seqLen: 8 }), batchSize: 128, epochs: 2, lr, weightDecay: 0, optimizer: 'adamw', scheduler: 'cosine', modelId: 'H-Sg' });

beforeEach(() => store().clear());

describe('imported results store', () => {
  it('adds each import, replaces a run imported again, and keeps the latest import’s warnings', () => {
    store().addImport(
      importMadlabLogs([
        { path: `logs/${dir(1e-3)}/results.csv`, text: csv(0.4) },
        { path: 'logs/not-a-run/results.csv', text: csv(0.1) },
      ]),
      'logs',
    );
    expect(store().runs.map((r) => r.row.test_acc)).toEqual([0.4]);
    expect(store().lastImport).toEqual({ folder: 'logs', runs: 1, modelIds: ['H-Sg'], warnings: [{ path: 'logs/not-a-run/results.csv', problem: expect.any(String) }] });

    store().addImport(
      importMadlabLogs([
        { path: `again/${dir(1e-3)}/results.csv`, text: csv(0.5) },
        { path: `again/${dir(1e-4)}/results.csv`, text: csv(0.6) },
      ]),
      'again',
    );
    expect(store().runs.map((r) => [r.path, r.row.test_acc])).toEqual([
      [`again/${dir(1e-3)}/results.csv`, 0.5],
      [`again/${dir(1e-4)}/results.csv`, 0.6],
    ]);
    expect(store().lastImport).toMatchObject({ folder: 'again', runs: 2, warnings: [] });

    store().clear();
    expect(store().runs).toEqual([]);
    expect(store().lastImport).toBeNull();
  });
});
