// The protocol runner: a profile's settings × sweep points become runs in mad-lab's order (task,
// then lr, then weight decay, then setting: docs/protocol.md §7.1), each keyed by its run directory name.
// Runs already in the results store are never trained again, so an interrupted protocol resumes
// where it stopped; the others train one after another through the injected `train` function.
// Scores follow as each task's last run is done, and for the whole profile at the end.

import type { ProtocolProfile } from '../config/protocols.ts';
import type { ArchitectureSpec } from '../model/architecture.ts';
import type { SettingData } from '../tasks/madDataDir.ts';
import { settingName } from '../tasks/settings.ts';
import type { TaskName, TaskSetting } from '../tasks/types.ts';
import { computeMadScores, type MadScores, type ScoredRun } from './madScore.ts';
import type { ResultsStore, StoredRun } from './resultsStore.ts';
import { runDirName, runKeyOf } from './runKey.ts';
import { DEFAULT_TRAINING, type RunEvent, type RunPlan, type RunResult } from './types.ts';

export interface ProtocolRun {
  /** 0-based position in the protocol's order. */
  index: number;
  runDir: string;
  plan: RunPlan;
}

/** Trains one run to the end (the real one wraps src/train/trainer.ts's trainRun). */
export type TrainFunction = (plan: RunPlan, data: SettingData, onEvent: (event: RunEvent) => void) => Promise<RunResult>;

/** A setting's train and test splits: generated, or read from a mad-lab data directory. */
export type DataSource = (setting: TaskSetting) => Promise<SettingData>;

/**
 * Every run of `profile` for `architecture`, in mad-lab's order. `seed` replaces the settings'
 * seed (12345), which mad-lab uses for data and training alike.
 */
export function enumerateProtocolRuns(profile: ProtocolProfile, architecture: ArchitectureSpec, seed?: number): ProtocolRun[] {
  const runs: ProtocolRun[] = [];
  for (const task of profile.tasks) {
    for (const { lr, weightDecay } of profile.sweep) {
      for (const taskSetting of task.settings) {
        const setting = seed === undefined ? taskSetting : { ...taskSetting, seed };
        const training = {
          ...DEFAULT_TRAINING,
          lr,
          weightDecay,
          epochs: task.epochs,
          earlyStop: profile.earlyStop,
          stopPatience: profile.stopPatience,
          seed: setting.seed,
        };
        const plan: RunPlan = { architecture, setting, training };
        runs.push({ index: runs.length, runDir: runDirName(runKeyOf(plan)), plan });
      }
    }
  }
  return runs;
}

export interface ProtocolCallbacks {
  /** A run is about to train (runs found finished in the store are not started). */
  onRunStart?(run: ProtocolRun): void;
  onRunEvent?(run: ProtocolRun, event: RunEvent): void;
  /** A run finished, or was found finished in the store (`skipped`). */
  onRunDone?(run: ProtocolRun, stored: StoredRun, skipped: boolean): void;
  /** A task's last run is done: the scores over that task's runs. */
  onTaskScored?(task: TaskName, scores: MadScores): void;
}

export interface ProtocolOptions extends ProtocolCallbacks {
  profile: ProtocolProfile;
  architecture: ArchitectureSpec;
  store: ResultsStore;
  train: TrainFunction;
  loadData: DataSource;
  seed?: number;
  /** Which unfinished runs this process trains (default: all); the others are left to another shard (src/train/protocolShards.ts). */
  trains?(run: ProtocolRun): boolean;
}

export interface ProtocolOutcome {
  runs: ProtocolRun[];
  trained: number;
  skipped: number;
  scores: MadScores;
}

export async function runProtocol(options: ProtocolOptions): Promise<ProtocolOutcome> {
  const { profile, architecture, store, train, loadData } = options;
  const runs = enumerateProtocolRuns(profile, architecture, options.seed);
  const scored: ScoredRun[] = [];
  let trained = 0;
  let skipped = 0;
  // Consecutive runs share a setting only when a task has one setting; one cached split suffices.
  let cached: { name: string; data: SettingData } | undefined;

  // Every stored run is checked before any training, so a mismatch stops the protocol at once.
  const storedRuns = await Promise.all(runs.map((run) => store.get(run.runDir)));
  runs.forEach((run, i) => {
    const stored = storedRuns[i];
    if (stored !== undefined) assertSameRun(run.runDir, stored, run.plan);
  });

  for (const run of runs) {
    const key = runKeyOf(run.plan);
    let stored = storedRuns[run.index];
    if (stored !== undefined) {
      skipped++;
      options.onRunDone?.(run, stored, true);
    } else if (options.trains?.(run) ?? true) {
      options.onRunStart?.(run);
      const name = settingName(run.plan.setting);
      if (cached?.name !== name) cached = { name, data: await loadData(run.plan.setting) };
      await store.start(run.runDir, run.plan);
      const result = await train(run.plan, cached.data, (event) => options.onRunEvent?.(run, event));
      await store.put(run.runDir, run.plan, result);
      stored = { row: result.row };
      trained++;
      options.onRunDone?.(run, stored, false);
    }
    if (stored !== undefined) scored.push({ key, row: stored.row });

    const next = runs[run.index + 1];
    const task = run.plan.setting.task;
    if (next === undefined || next.plan.setting.task !== task) {
      options.onTaskScored?.(task, computeMadScores(scored.filter((s) => s.key.setting.task === task)));
    }
  }
  return { runs, trained, skipped, scores: computeMadScores(scored) };
}

/**
 * mad-lab's names leave out the width, the norm, layer overrides and some training flags, so a
 * logs directory could hold a different experiment under the same name. Our run.json records the
 * whole plan: a stored run whose plan differs is refused rather than scored as this one.
 */
export function assertSameRun(runDir: string, stored: StoredRun, plan: RunPlan): void {
  if (stored.summary === undefined) return; // written by mad-lab itself: its name is all there is
  const differences = planDifferences(stored.summary.plan, plan);
  if (differences.length > 0) {
    throw new Error(
      `${runDir} already holds a run with a different ${differences.join(', ')}; use another logs directory for this experiment`,
    );
  }
}

/** The fields in which two plans differ, e.g. ['architecture.dim', 'training.minLr']. */
export function planDifferences(a: RunPlan, b: RunPlan): string[] {
  const architecture = (p: RunPlan) => ({
    dim: p.architecture.dim,
    layers: p.architecture.layers.map((l) => ({ type: l.type, config: l.config ?? {} })),
    backbone: p.architecture.backbone ?? 'auto',
    norm: p.architecture.norm ?? 'rms',
    init: p.architecture.init ?? 'paper',
  });
  const differing = (prefix: string, x: Record<string, unknown>, y: Record<string, unknown>): string[] =>
    [...new Set([...Object.keys(x), ...Object.keys(y)])].filter((k) => JSON.stringify(x[k]) !== JSON.stringify(y[k])).map((k) => `${prefix}.${k}`);
  return [
    ...differing('architecture', architecture(a), architecture(b)),
    ...differing('setting', { ...a.setting }, { ...b.setting }),
    ...differing('training', { ...a.training }, { ...b.training }),
  ];
}
