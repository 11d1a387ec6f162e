// `mad train --save-weights` and `--init-weights FILE` on this machine's GPU (SwiftShader in CI),
// at a tiny setting: the saved file holds bit for bit the parameters the trainer handed over, a
// run started from it trains from those weights (its first-epoch loss is their loss, not the
// drawn init's) in a directory of its own, and a file of another model is refused, naming the
// difference, before any data or GPU.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as device from '../../gpu/device.ts';
import * as dataset from '../../tasks/dataset.ts';
import * as trainer from '../../train/trainer.ts';
import { runDirNameOf } from '../../train/runKey.ts';
import type { EpochRecord, RunResult } from '../../train/types.ts';
import { importWeights } from '../../weights/weightsFile.ts';
import { WeightsFileError } from '../../weights/safetensors.ts';
import { trainCommand, trainPlan } from './train.ts';
import { runWeightsModel } from '../../weights/runModel.ts';
import { RUN_WEIGHTS_FILE } from './trainWeights.ts';

vi.mock('../../tasks/dataset.ts', async (importOriginal) => {
  const original = await importOriginal<typeof dataset>();
  return { ...original, buildDataset: vi.fn(original.buildDataset) };
});
vi.mock('../../gpu/device.ts', async (importOriginal) => {
  const original = await importOriginal<typeof device>();
  return { ...original, acquireGpu: vi.fn(original.acquireGpu) };
});
// The real trainer, watched: what it was handed and the parameters it handed over.
const seen: { initial?: Float32Array; final?: Float32Array; epochs: EpochRecord[]; result?: RunResult }[] = [];
vi.mock('../../train/trainer.ts', async (importOriginal) => {
  const original = await importOriginal<typeof trainer>();
  const trainRun: typeof original.trainRun = async (gpu, plan, data, options = {}) => {
    const run: (typeof seen)[number] = { initial: options.initialParameters?.slice(), epochs: [] };
    seen.push(run);
    const result = await original.trainRun(gpu, plan, data, {
      ...options,
      onEvent: (e) => {
        if (e.kind === 'epoch') run.epochs.push(e.record);
        options.onEvent?.(e);
      },
      onFinalParameters: async (p) => {
        run.final = p.slice();
        await options.onFinalParameters?.(p);
      },
    });
    run.result = result;
    return result;
  };
  return { ...original, trainRun: vi.fn(trainRun) };
});

let logs: string | undefined;
afterEach(() => {
  if (logs) rmSync(logs, { recursive: true, force: true });
  logs = undefined;
  seen.length = 0;
  vi.restoreAllMocks();
});

const settingFlags = (seqLen = 8): string[] => ['--task', 'memorization', '--vocab-size', '16', '--seq-len', String(seqLen), '--num-train-examples', '32', '--num-test-examples', '16', '--batch-size', '8', '--seed', '3'];
const SETTING = settingFlags();
const MODEL = ['--layers', 'mlp', '--dim', '8'];
/** The gate has its own test (gpuCheck.test.ts) and would write to the user's cache. */
const NO_GATE = ['--skip-gpu-check'];

const bitsOf = (a: Float32Array): Uint32Array => new Uint32Array(a.buffer, a.byteOffset, a.length);

describe('mad train with weights files', () => {
  it('--save-weights writes the trainer’s final parameters bit for bit; --init-weights trains from them, in a run of its own', { timeout: 120_000 }, async () => {
    logs = mkdtempSync(join(tmpdir(), 'mad-train-weights-'));
    vi.spyOn(console, 'log').mockImplementation(() => undefined);

    // A: drawn init at seed 3, trained enough that its weights' loss is far from the init's.
    const argvA = [...SETTING, ...MODEL, '--epochs', '3', '--lr', '1e-2', '--save-weights', '--log-base-path', logs, ...NO_GATE];
    expect(await trainCommand.run(argvA)).toBe(0);
    const planA = trainPlan(argvA);
    const fileA = join(logs, runDirNameOf(planA), RUN_WEIGHTS_FILE);
    const imported = importWeights(runWeightsModel(planA), new Uint8Array(readFileSync(fileA)), fileA);
    const a = seen[0]!;
    expect(a.initial).toBeUndefined();
    expect(bitsOf(imported.pool)).toEqual(bitsOf(a.final!));
    expect(imported.seed).toBe(3);
    const weightsLoss = a.result!.row.train_loss; // the validate pass on the train split, with exactly these weights
    const drawnLoss = a.epochs[0]!.train.loss;
    expect(Math.abs(weightsLoss - drawnLoss)).toBeGreaterThan(0.1);

    // B: the same setting from A's weights, at a learning rate too small to move them: its first
    // epoch's loss is the weights' loss, and its saved weights are the file's.
    const argvB = [...SETTING, ...MODEL, '--epochs', '1', '--lr', '1e-30', '--min-lr', '0', '--init-weights', fileA, '--save-weights', '--log-base-path', logs, ...NO_GATE];
    expect(await trainCommand.run(argvB)).toBe(0);
    const b = seen[1]!;
    expect(bitsOf(b.initial!)).toEqual(bitsOf(a.final!));
    console.info(`first-epoch train loss from the file ${b.epochs[0]!.train.loss}, the weights' loss ${weightsLoss}, drawn init's first epoch ${drawnLoss}`);
    expect(Math.abs(b.epochs[0]!.train.loss - weightsLoss)).toBeLessThan(1e-4);
    const maxMove = b.final!.reduce((m, v, i) => Math.max(m, Math.abs(v - a.final![i]!)), 0);
    expect(maxMove).toBeLessThan(1e-20);

    // Its run directory is its own: under from-weights-<hash>, never the plain run's name.
    const runDirB = runDirNameOf(trainPlan(argvB));
    expect(existsSync(join(logs, runDirB))).toBe(false);
    const [fromWeights, ...others] = readdirSync(logs).filter((d) => d.startsWith('from-weights-'));
    expect(others).toEqual([]);
    expect(fromWeights).toMatch(/^from-weights-[0-9a-f]{12}$/);
    expect(existsSync(join(logs, fromWeights!, runDirB, 'results.csv'))).toBe(true);
    expect(existsSync(join(logs, fromWeights!, runDirB, RUN_WEIGHTS_FILE))).toBe(true);
  });

  it('--init-weights refuses a file of another model, naming the difference, before any data, GPU or run directory', async () => {
    logs = mkdtempSync(join(tmpdir(), 'mad-train-weights-'));
    const file = join(logs, 'w.safetensors');
    const { weightsCommand } = await import('./weights.ts');
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(await weightsCommand.run(['export', '--out', file, ...MODEL, '--vocab-size', '16', '--max-length', '8', '--norm', 'layer'])).toBe(0);
    vi.mocked(dataset.buildDataset).mockClear();
    vi.mocked(device.acquireGpu).mockClear();
    const runs = join(logs, 'runs');
    const refusal = (argv: string[]) => trainCommand.run([...argv, '--init-weights', file, '--log-base-path', runs]).then(() => undefined, (e: unknown) => e);

    const wider = await refusal([...SETTING, '--layers', 'mlp', '--dim', '16']);
    expect(wider).toBeInstanceOf(WeightsFileError);
    expect((wider as Error).message).toBe(`${file}: its weights belong to another model (architecture.dim: the file has 8, the model has 16)`);
    const longer = await refusal([...settingFlags(16), ...MODEL]);
    expect((longer as Error).message).toBe(`${file}: its weights belong to another model (max_length: the file has 8, the model has 16)`);

    expect(dataset.buildDataset).not.toHaveBeenCalled();
    expect(device.acquireGpu).not.toHaveBeenCalled();
    expect(existsSync(runs)).toBe(false);
  });
});
