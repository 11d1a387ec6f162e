// The protocol runner with a fake trainer: run order, skipping stored runs, resuming after an
// interruption, NaN rows of diverged runs, and the scores it reports.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TASK_GRIDS } from '../config/taskGridFiles.ts';
import type { ProtocolProfile } from '../config/protocols.ts';
import { PROTOCOLS } from '../config/protocolFiles.ts';
import { enumerateSettings } from '../config/taskGrid.ts';
import { architectureFromLayers } from '../model/architecture.ts';
import type { SettingData } from '../tasks/madDataDir.ts';
import { makeSetting, settingName } from '../tasks/settings.ts';
import type { TaskName, TaskSetting } from '../tasks/types.ts';
import { FileResultsStore } from './fileResultsStore.ts';
import type { MadScores } from './madScore.ts';
import { enumerateProtocolRuns, runProtocol, type TrainFunction } from './protocol.ts';
import { MemoryResultsStore } from './resultsStore.ts';
import { runDirNameOf } from './runKey.ts';
import type { RunPlan, RunResult } from './types.ts';

const architecture = architectureFromLayers(['mh-attention', 'swiglu'], { dim: 16 });
const recallA = makeSetting('in-context-recall', { vocabSize: 8, seqLen: 8, numTrainExamples: 64, numTestExamples: 32 });
const recallB = makeSetting('in-context-recall', { vocabSize: 16, seqLen: 8, numTrainExamples: 64, numTestExamples: 32 });
const memorization = makeSetting('memorization', { vocabSize: 16, seqLen: 8, numTrainExamples: 64, numTestExamples: 32 });

const PROFILE: ProtocolProfile = {
  name: 'fixture',
  description: 'two tasks',
  computeRelativeToFull: 1e-6,
  sweep: [
    { lr: 1e-4, weightDecay: 0 },
    { lr: 1e-3, weightDecay: 0 },
  ],
  earlyStop: false,
  stopPatience: 20,
  tasks: [
    { task: 'in-context-recall', epochs: 2, settings: [recallA, recallB] },
    { task: 'memorization', epochs: 3, settings: [memorization] },
  ],
};

/** Test accuracy the fake trainer reports: the larger lr wins on recall A, the smaller on B. */
function fakeAccuracy(plan: RunPlan): number {
  const fast = plan.training.lr === 1e-3;
  if (plan.setting.task === 'memorization') return fast ? 0.9 : 0.6;
  return plan.setting.vocabSize === 8 ? (fast ? 0.8 : 0.5) : fast ? 0.3 : 0.4;
}

/** A trainer that records its calls, may diverge on chosen runs and may crash after `crashAfter` calls. */
function fakeTrainer(options: { crashAfter?: number; diverge?: (plan: RunPlan) => boolean } = {}) {
  const calls: RunPlan[] = [];
  const train: TrainFunction = async (plan, data, onEvent) => {
    if (calls.length === options.crashAfter) throw new Error('device lost');
    calls.push(plan);
    expect(data.setting).toEqual(plan.setting);
    const diverged = options.diverge?.(plan) ?? false;
    const acc = diverged ? NaN : fakeAccuracy(plan);
    const result: RunResult = {
      status: diverged ? 'diverged' : 'completed',
      bestEpoch: diverged ? null : plan.training.epochs - 1,
      row: { train_acc: acc, train_ppl: 2, train_loss: 0.75, test_acc: acc, test_ppl: diverged ? NaN : 3, test_loss: 1.25 },
      epochs: [],
      microBatches: 1,
      seconds: 0.01,
    };
    onEvent({ kind: 'finished', runId: 'fake', result });
    return result;
  };
  return { train, calls };
}

const loads: TaskSetting[] = [];
async function fakeData(setting: TaskSetting): Promise<SettingData> {
  loads.push(setting);
  const empty = { inputs: new Int32Array(0), targets: new Int32Array(0), count: 0, inputLength: 0 };
  return { setting, train: empty, test: empty };
}

const dirs: string[] = [];
function tempLogs(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mad-protocol-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  loads.length = 0;
});

describe('enumerateProtocolRuns', () => {
  it("lists runs in mad-lab's order: task, lr, weight decay, setting", () => {
    const runs = enumerateProtocolRuns(PROFILE, architecture);
    expect(runs.map((r) => [r.plan.setting.task, r.plan.training.lr, r.plan.setting.vocabSize])).toEqual([
      ['in-context-recall', 1e-4, 8],
      ['in-context-recall', 1e-4, 16],
      ['in-context-recall', 1e-3, 8],
      ['in-context-recall', 1e-3, 16],
      ['memorization', 1e-4, 16],
      ['memorization', 1e-3, 16],
    ]);
    expect(runs[0]!.runDir).toBe(
      't-CR_vs-8_sl-8_ntr-64_nte-32_km-1_vm-1_mq-1_fn-0#0_nvs-0_ntc-0_bs-128_e-2_lr-0#0001_wd-0#0_opt-adamw_sch-cosine_s-12345_model-mA-Sg',
    );
    expect(runs[4]!.plan.training.epochs).toBe(3);
  });

  it("enumerates the full profile as make_benchmark_mad_configs does: 396 runs", () => {
    const runs = enumerateProtocolRuns(PROTOCOLS.full, architecture);
    expect(runs).toHaveLength(396);
    const at = (i: number) => [settingName(runs[i]!.plan.setting), runs[i]!.plan.training.lr, runs[i]!.plan.training.weightDecay];
    const recall = enumerateSettings(TASK_GRIDS['in-context-recall']).map(settingName);
    expect(at(0)).toEqual([recall[0], 1e-4, 0]);
    expect(at(10)).toEqual([recall[10], 1e-4, 0]);
    expect(at(11)).toEqual([recall[0], 1e-4, 0.1]);
    expect(at(22)).toEqual([recall[0], 5e-4, 0]);
    expect(at(66)).toEqual([settingName(TASK_GRIDS['noisy-in-context-recall'].baseline), 1e-4, 0]);
    expect(runs.every((r) => r.plan.training.epochs === 200)).toBe(true);
  });

  it('gives data and training the seed asked for', () => {
    const runs = enumerateProtocolRuns(PROFILE, architecture, 7);
    expect(runs.every((r) => r.plan.setting.seed === 7 && r.plan.training.seed === 7)).toBe(true);
    expect(runs[0]!.runDir).toMatch(/_s-7_model-mA-Sg$/);
  });
});

describe('runProtocol', () => {
  it('trains every run and scores the best sweep point per setting', async () => {
    const { train, calls } = fakeTrainer();
    const taskScores: [TaskName, MadScores][] = [];
    const outcome = await runProtocol({
      profile: PROFILE,
      architecture,
      store: new MemoryResultsStore(),
      train,
      loadData: fakeData,
      onTaskScored: (task, scores) => taskScores.push([task, scores]),
    });
    expect(calls).toHaveLength(6);
    expect(outcome.trained).toBe(6);
    expect(outcome.skipped).toBe(0);
    // Recall: best of A is 0.8, best of B is 0.4; memorization: 0.9.
    expect(outcome.scores.tasks['in-context-recall']!.score).toBeCloseTo(0.6, 12);
    expect(outcome.scores.tasks.memorization!.score).toBeCloseTo(0.9, 12);
    expect(outcome.scores.mean).toBeCloseTo(0.75, 12);
    expect(taskScores.map(([task, s]) => [task, s.tasks[task]!.score])).toEqual([
      ['in-context-recall', expect.closeTo(0.6, 12)],
      ['memorization', expect.closeTo(0.9, 12)],
    ]);
    // Memorization's two runs share one setting: its data is loaded once.
    expect(loads.map(settingName)).toEqual([recallA, recallB, recallA, recallB, memorization].map(settingName));
  });

  it('resumes an interrupted protocol: finished runs are never trained again', async () => {
    const logs = tempLogs();
    const first = fakeTrainer({ crashAfter: 3 });
    await expect(runProtocol({ profile: PROFILE, architecture, store: new FileResultsStore(logs), train: first.train, loadData: fakeData })).rejects.toThrow(
      'device lost',
    );
    expect(first.calls).toHaveLength(3);
    const runs = enumerateProtocolRuns(PROFILE, architecture);
    // The crashed run's directory exists without results.csv: unfinished.
    const crashed = join(logs, runs[3]!.runDir);
    expect(JSON.parse(readFileSync(join(crashed, 'run.json'), 'utf8')).status).toBe('running');
    expect(existsSync(join(crashed, 'results.csv'))).toBe(false);

    const second = fakeTrainer();
    const outcome = await runProtocol({ profile: PROFILE, architecture, store: new FileResultsStore(logs), train: second.train, loadData: fakeData });
    expect(second.calls.map(runDirNameOf)).toEqual(runs.slice(3).map((r) => r.runDir));
    expect(outcome.trained).toBe(3);
    expect(outcome.skipped).toBe(3);
    expect(outcome.scores.mean).toBeCloseTo(0.75, 12);

    const third = fakeTrainer();
    const again = await runProtocol({ profile: PROFILE, architecture, store: new FileResultsStore(logs), train: third.train, loadData: fakeData });
    expect(third.calls).toHaveLength(0);
    expect(again.scores).toEqual(outcome.scores);
  });

  it("refuses stored runs of another experiment that mad-lab's names cannot tell apart", async () => {
    const logs = tempLogs();
    await runProtocol({ profile: PROFILE, architecture, store: new FileResultsStore(logs), train: fakeTrainer().train, loadData: fakeData });
    const wider = architectureFromLayers(['mh-attention', 'swiglu'], { dim: 32 });
    const retry = fakeTrainer();
    await expect(runProtocol({ profile: PROFILE, architecture: wider, store: new FileResultsStore(logs), train: retry.train, loadData: fakeData })).rejects.toThrow(
      /_model-mA-Sg already holds a run with a different architecture\.dim; use another logs directory/,
    );
    const patient = { ...PROFILE, earlyStop: true };
    await expect(runProtocol({ profile: patient, architecture, store: new FileResultsStore(logs), train: retry.train, loadData: fakeData })).rejects.toThrow(
      /different training\.earlyStop;/,
    );
    expect(retry.calls).toHaveLength(0);
  });

  it('writes a diverged run as NaN, which scoring drops', async () => {
    const logs = tempLogs();
    const divergeFastRecallA = (plan: RunPlan) => plan.setting.vocabSize === 8 && plan.training.lr === 1e-3;
    const { train } = fakeTrainer({ diverge: divergeFastRecallA });
    const outcome = await runProtocol({ profile: PROFILE, architecture, store: new FileResultsStore(logs), train, loadData: fakeData });
    const diverged = enumerateProtocolRuns(PROFILE, architecture)[2]!;
    expect(readFileSync(join(logs, diverged.runDir, 'results.csv'), 'utf8')).toBe(
      'train_acc,train_ppl,train_loss,test_acc,test_ppl,test_loss\n,2.0,0.75,,,1.25\n',
    );
    expect(outcome.scores.dropped).toEqual([diverged.runDir]);
    // Recall A falls back to its lr 1e-4 run (0.5): (0.5 + 0.4) / 2.
    expect(outcome.scores.tasks['in-context-recall']!.score).toBeCloseTo(0.45, 12);
  });
});
