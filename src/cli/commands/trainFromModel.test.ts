// The Builder's model on the command line (issue 14): a model with overrides the stock yml
// configs cannot express (attention at d 32 with its rotary dimension set to the head dimension),
// exported as the Builder exports it (a JSON file, a share link), plans the same run under
// `mad train --model` / `--link` as under the Runs launcher for the same state and seed, and the
// first optimizer step of each plan gives the same loss on the test GPU: the CLI's plan trained by
// the CLI's training function, the launcher's by trainRun, which the worker calls.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { testGpu } from '../../engine/testing/gpu.ts';
import { exportArchitectureJson } from '../../share/jsonExport.ts';
import type { ShareState } from '../../share/shareState.ts';
import { shareUrl } from '../../share/urlCodec.ts';
import { INITIAL_LAUNCHER_CHOICE, type LauncherChoice } from '../../state/launcherChoice.ts';
import { launcherChoiceOfShareRun, shareRunOfLauncherChoice } from '../../state/launcherShareRun.ts';
import { buildDataset } from '../../tasks/dataset.ts';
import { formatResultsCsv } from '../../train/fileResultsStore.ts';
import { runDirNameOf } from '../../train/runKey.ts';
import { trainRun } from '../../train/trainer.ts';
import { DEFAULT_TRAINING, type RunEvent, type RunPlan } from '../../train/types.ts';
import { launchRequest } from '../../ui/run/launchPlans.ts';
import { trainCommand, trainPlan } from './train.ts';
import { DEFAULT_MEMORY_BUDGET_TEXT, parseMemoryBudget, settingData, trainOn } from './trainingRuntime.ts';

/** attention has one head (configs/layers/attention.yml), so at d 32 its head dim, and so its rotary dim, is 32. */
const ATTENTION_D32 = { type: 'attention', config: { rotary_emb_dim: 32 } };

/** The launcher's choice: one in-context-recall setting at tiny sizes, one epoch of one step, seed 7. */
const CHOICE: LauncherChoice = {
  ...INITIAL_LAUNCHER_CHOICE,
  mode: 'setting',
  task: 'in-context-recall',
  settingIndex: 0,
  sizes: { vocabSize: 16, seqLen: 32, numTrainExamples: 8, numTestExamples: 8 },
  training: { ...DEFAULT_TRAINING, epochs: 1, batchSize: 8, seed: 7 },
};

const STATE: ShareState = {
  architecture: { version: 1, name: 'attention at d 32', dim: 32, layers: [ATTENTION_D32, { type: 'swiglu' }, ATTENTION_D32, { type: 'swiglu' }] },
  run: shareRunOfLauncherChoice(CHOICE),
};

/** f32 on the same device, data and initial weights: the two paths must agree to rounding. */
const LOSS_TOLERANCE = 1e-6;

const dir = mkdtempSync(join(tmpdir(), 'mad-model-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The plan the Runs launcher builds when the state is opened (launcherStore.openShareRun, then Launch). */
function launcherPlan(state: ShareState): RunPlan {
  const opened = launcherChoiceOfShareRun(state.run!);
  if (!opened.ok) throw new Error(opened.reason);
  const outcome = launchRequest({ ...opened.choice, architecture: state.architecture, checkpointEvery: 1 });
  if (!outcome.ok) throw new Error(outcome.problems.map((p) => p.message).join(' '));
  expect(outcome.request.runs).toHaveLength(1);
  return outcome.request.runs[0]!.plan;
}

/** The loss of the run's first optimizer step: its first 'step' event (one step per epoch here, read at once). */
function firstStepLoss(events: RunEvent[]): number {
  const first = events.find((e) => e.kind === 'step');
  if (first?.kind !== 'step') throw new Error('the run reported no step');
  expect(first.step).toBe(1);
  return first.loss;
}

async function cliFirstStepLoss(plan: RunPlan): Promise<number> {
  const gpu = await testGpu();
  const events: RunEvent[] = [];
  const data = await settingData(undefined, () => undefined)(plan.setting);
  await trainOn(gpu, parseMemoryBudget(DEFAULT_MEMORY_BUDGET_TEXT))(plan, data, (e) => events.push(e));
  return firstStepLoss(events);
}

async function launcherFirstStepLoss(plan: RunPlan): Promise<number> {
  const gpu = await testGpu();
  const events: RunEvent[] = [];
  await trainRun(gpu, plan, buildDataset(plan.setting), { onEvent: (e) => events.push(e) });
  return firstStepLoss(events);
}

async function expectSameFirstStep(source: string, cli: RunPlan, launcher: RunPlan): Promise<void> {
  const cliLoss = await cliFirstStepLoss(cli);
  const launcherLoss = await launcherFirstStepLoss(launcher);
  const diff = Math.abs(cliLoss - launcherLoss);
  console.log(`${source}: first-step loss, mad train ${cliLoss.toFixed(7)}, Runs launcher ${launcherLoss.toFixed(7)}, |diff| ${diff.toExponential(2)} (tolerance ${LOSS_TOLERANCE})`);
  expect(Number.isFinite(cliLoss)).toBe(true);
  expect(diff).toBeLessThanOrEqual(LOSS_TOLERANCE);
}

describe('mad train with the Builder’s model', () => {
  it('--model FILE: the launcher’s plan for the same model and seed, and the same first-step loss', { timeout: 120_000 }, async () => {
    const file = join(dir, 'attention-d32.mad.json');
    writeFileSync(file, exportArchitectureJson(STATE));
    const cli = trainPlan(['--model', file]);
    const launcher = launcherPlan(STATE);
    expect(cli).toEqual(launcher);
    // What makes the run this one: the model's own overrides, norm and backbone, and the one seed.
    expect(cli.architecture).toEqual(STATE.architecture);
    expect(cli.setting).toMatchObject({ task: 'in-context-recall', vocabSize: 16, seqLen: 32, numTrainExamples: 8, seed: 7 });
    expect(cli.training).toMatchObject({ epochs: 1, batchSize: 8, seed: 7 });

    // The command itself plans that run: it finds the run stored under the launcher plan's name.
    const logs = join(dir, 'logs');
    mkdirSync(join(logs, runDirNameOf(launcher)), { recursive: true });
    writeFileSync(join(logs, runDirNameOf(launcher), 'results.csv'), formatResultsCsv({ train_acc: 1, train_ppl: 1, train_loss: 0, test_acc: 1, test_ppl: 1, test_loss: 0 }));
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
    expect(await trainCommand.run(['--model', file, '--log-base-path', logs])).toBe(0);
    vi.restoreAllMocks();
    expect(lines[0]).toContain('retrieved results from there');

    await expectSameFirstStep('--model', cli, launcher);
  });

  it('--link URL: the same, and flags still override the link’s run settings', { timeout: 120_000 }, async () => {
    const url = shareUrl('https://mad-lab.example/app/', STATE);
    const cli = trainPlan(['--link', url]);
    const launcher = launcherPlan(STATE);
    expect(cli).toEqual(launcher);
    const overridden = trainPlan(['--link', url, '--seed', '8', '--lr', '0.001', '--seq-len', '64']);
    expect(overridden.setting).toMatchObject({ seqLen: 64, seed: 8, numTrainExamples: 8 });
    expect(overridden.training).toMatchObject({ lr: 0.001, seed: 8, batchSize: 8, epochs: 1 });
    expect(overridden.architecture).toEqual(STATE.architecture);

    await expectSameFirstStep('--link', cli, launcher);
  });
});
