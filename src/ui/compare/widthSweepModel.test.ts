import { describe, expect, it } from 'vitest';
import { architectureFromLayers } from '../../model/architecture.ts';
import { countModel } from '../../model/counting.ts';
import type { RunView } from '../../state/runsStore.ts';
import type { StoredSweep } from '../../storage/runRecords.ts';
import { settingsForTask } from '../../config/taskGridFiles.ts';
import type { TaskSetting } from '../../tasks/types.ts';
import { atWidth } from '../run/launchPlans.ts';
import { TINY_DEMO_MODEL } from '../run/modelChoices.ts';
import { stateAtSetting, widthSweepCsv, widthSweepSeries } from './widthSweepModel.ts';

const setting: TaskSetting = { ...settingsForTask('memorization')[0]!, vocabSize: 16, seqLen: 32 };

function run(runId: string, dim: number, accuracy: number | null, status: RunView['status'] = accuracy === null ? 'running' : 'completed'): RunView {
  const row = { train_loss: 1, train_acc: 0.5, test_loss: 1, test_acc: accuracy ?? Number.NaN, train_ppl: 2, test_ppl: 2 };
  return {
    runId,
    label: `d ${dim}`,
    status,
    plan: { architecture: atWidth(TINY_DEMO_MODEL, dim), setting, training: {} as RunView['plan']['training'] },
    result: accuracy === null ? null : ({ row } as unknown as RunView['result']),
    failure: status === 'failed' ? 'out of memory' : null,
  } as RunView;
}

describe('stateAtSetting', () => {
  it('a recurrent model: its fixed state, the same as counting gives', () => {
    const gla = architectureFromLayers(['mh-gated-linear-attention', 'swiglu'], { dim: 64 });
    expect(stateAtSetting(gla, setting)).toEqual({ state: countModel(gla, { vocabSize: 16, maxLength: 32 }).stateTotal, kvCache: false });
  });
  it('attention: its KV cache at the setting’s length, 2 · T · d per attention layer', () => {
    expect(stateAtSetting(atWidth(TINY_DEMO_MODEL, 8), setting)).toEqual({ state: 2 * (2 * 32 * 8), kvCache: true });
  });
  it('a long convolution has no state to place, and says why', () => {
    expect(stateAtSetting(architectureFromLayers(['hyena', 'swiglu'], { dim: 16 }), setting)).toMatch(/hyena layer keeps state that grows/);
  });
});

describe('widthSweepSeries', () => {
  const sweep: StoredSweep = { sweepId: 's1', kind: 'width', label: 'Width sweep d 16, 8', profile: null, runIds: ['a', 'b', 'c', 'd'], createdAt: 1 };
  const runs = { a: run('a', 16, 0.75), b: run('b', 8, 0.5), c: run('c', 32, null), d: run('d', 64, null, 'failed') };

  it('one point per finished width, in order of state; pending and failed widths are counted and listed', () => {
    const [series, ...rest] = widthSweepSeries([sweep, { ...sweep, sweepId: 'g', kind: 'grid' }], runs);
    expect(rest).toEqual([]);
    expect(series!.task).toBe('memorization');
    expect(series!.points.map((p) => [p.dim, p.state, p.accuracy])).toEqual([
      [8, 2 * 2 * 32 * 8, 0.5],
      [16, 2 * 2 * 32 * 16, 0.75],
    ]);
    expect(series!.pending).toBe(1);
    expect(series!.notPlaced).toEqual([{ label: 'd 64', reason: 'failed: out of memory' }]);
    expect(widthSweepCsv([series!]).trim().split('\n')).toEqual([
      'sweep,task,width,state_per_sequence,test_accuracy',
      '"Width sweep d 16, 8",memorization,8,1024,0.5',
      '"Width sweep d 16, 8",memorization,16,2048,0.75',
    ]);
  });
});
