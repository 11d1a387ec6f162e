// `mad train` without a GPU: the run directory train.py's flags name, a stored run printed instead
// of trained, the flags it refuses, and the order of its checks: sizes and the memory plan before
// any data or GPU, data checks before any GPU or run directory (spies on the dataset builder and the
// GPU prove it). (benchmark.test.ts trains through the same runtime.)
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as device from '../../gpu/device.ts';
import * as dataset from '../../tasks/dataset.ts';
import { SettingDataError, writeSettingDir } from '../../tasks/madDataDir.ts';
import { makeSetting } from '../../tasks/settings.ts';
import { formatResultsCsv } from '../../train/fileResultsStore.ts';
import { UsageError } from '../args.ts';
import { trainCommand } from './train.ts';

vi.mock('../../tasks/dataset.ts', async (importOriginal) => {
  const original = await importOriginal<typeof dataset>();
  return { ...original, buildDataset: vi.fn(original.buildDataset) };
});
vi.mock('../../gpu/device.ts', async (importOriginal) => {
  const original = await importOriginal<typeof device>();
  return { ...original, acquireGpu: vi.fn(original.acquireGpu) };
});

/** train.py's run directory for its default flags (mad-lab's make_log_path). */
const DEFAULT_RUN_DIR =
  't-CR_vs-16_sl-128_ntr-12800_nte-1280_km-1_vm-1_mq-1_fn-0#0_nvs-0_ntc-0_bs-128_e-200_lr-0#0005_wd-0#0_opt-adamw_sch-cosine_s-12345_model-mA-Sg-mA-Sg';

let logs: string | undefined;
afterEach(() => {
  if (logs) rmSync(logs, { recursive: true, force: true });
  logs = undefined;
  vi.restoreAllMocks();
});

function storeRun(runDir: string): void {
  logs ??= mkdtempSync(join(tmpdir(), 'mad-train-'));
  mkdirSync(join(logs, runDir));
  writeFileSync(join(logs, runDir, 'results.csv'), formatResultsCsv({ train_acc: 1, train_ppl: 1.5, train_loss: 0.25, test_acc: 0.875, test_ppl: 2, test_loss: 0.5 }));
}

async function printed(argv: string[]): Promise<string> {
  const lines: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
  expect(await trainCommand.run(argv)).toBe(0);
  return lines.join('\n');
}

describe('mad train', () => {
  it("names the run as train.py does and prints a stored run's row instead of training it", async () => {
    storeRun(DEFAULT_RUN_DIR);
    const out = await printed(['--log-base-path', logs!]);
    expect(out).toBe(
      `Log path "${join(logs!, DEFAULT_RUN_DIR)}" exists, retrieved results from there...\n` +
        'train_acc 1.00000  train_ppl 1.50000  train_loss 0.250000  test_acc 0.875000  test_ppl 2.00000  test_loss 0.500000',
    );
  });

  it('takes train.py flags, layer lists and all, into the run name', async () => {
    const runDir =
      't-SC_vs-32_sl-256_ntr-800_nte-1280_km-1_vm-1_mq-1_fn-0#0_nvs-0_ntc-16_bs-64_e-20_lr-0#001_wd-0#1_opt-adamw_sch-plateau_s-7_model-H-Sg-H-Sg';
    storeRun(runDir);
    const argv = [
      '--task', 'selective-copying', '--vocab-size', '32', '--seq-len', '256', '--num-tokens-to-copy', '16',
      '--num-train-examples', '800', '--layers', 'hyena', 'swiglu', 'hyena', 'swiglu', '--batch-size', '64',
      '--epochs', '20', '--lr', '1e-3', '--weight-decay', '0.1', '--scheduler', 'plateau', '--seed', '7',
      '--log-base-path', logs!, '--accelerator', 'cuda', '--no-save-checkpoints',
    ];
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(await printed(argv)).toContain('retrieved results from there');
    expect(console.error).toHaveBeenCalledWith(expect.stringMatching(/^note: ignored --accelerator \(.*\), --save-checkpoints \(/));
  });

  it('forces the autoencoder for compression, as train.py does', async () => {
    storeRun('t-C_vs-16_sl-32_ntr-12800_nte-1280_km-1_vm-1_mq-1_fn-0#0_nvs-0_ntc-0_bs-128_e-200_lr-0#0005_wd-0#0_opt-adamw_sch-cosine_s-12345_model-mA-Sg-mA-Sg');
    const out = await printed(['--task', 'compression', '--seq-len', '32', '--backbone', 'language-model', '--log-base-path', logs!]);
    expect(out.split('\n')[0]).toBe('Setting model backbone to "autoencoder", which is required for the compression task!');
  });

  it('refuses what it cannot honour, saying why', async () => {
    const refusals: [string[], RegExp][] = [
      [['--optimizer', 'sgd'], /--optimizer sgd is not implemented: only adamw/],
      [['--log-to-wandb'], /--log-to-wandb is not supported/],
      [['--target-ignore-index', '-1'], /--target-ignore-index must be -100/],
      [['--scheduler', 'linear'], /--scheduler must be one of cosine, plateau, none/],
      [['--task', 'copying'], /--task must be one of in-context-recall/],
      [['--seq-len', '7'], /seqLen must be even/],
      [['--layers', 'transformer'], /unknown layer type "transformer"/],
      [['--lr', '0'], /--lr must be greater than 0/],
      [['--lr', '0x10'], /--lr needs a decimal number \(e\.g\. 5e-4 or 0\.25\), got '0x10'/],
      [['--lr', '1e-4', '--min-lr', '1e-3'], /^--min-lr 0\.001 is above --lr 0\.0001: a floor above the starting rate would make the cosine schedule raise the learning rate; give a --min-lr of at most 0\.0001$/],
      [['--vocab-size', '2147483648'], /^Vocabulary size 2,147,483,648 is over the limit of 131,072 \(16× MAD's largest vocabulary \(8,192\)\): use a smaller vocabulary\.$/],
      [['--seq-len', '10000000'], /^Sequence length 10,000,000 is over the limit of 16,384 .*: use a shorter sequence\.$/],
      [['--batch-size', '4096', '--epochs', '100000'], /^Epochs 100,000 is over the limit of 3,200 .* Batch size 4,096 is over the limit of 2,048 .*: use a smaller batch\.$/],
      [['--dim', '4096'], /Model width 4,096 is over the limit of 2,048/],
      [['--memory-budget', 'lots'], /--memory-budget needs a size such as 2GiB/],
    ];
    for (const [argv, message] of refusals) {
      const error = await trainCommand.run(argv).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, argv.join(' ')).toBeInstanceOf(UsageError);
      expect((error as Error).message).toMatch(message);
    }
  });
});

describe('mad train refuses before it allocates', () => {
  it('a run over the memory budget: a usage error with the figure, before any dataset or GPU', async () => {
    logs = mkdtempSync(join(tmpdir(), 'mad-train-'));
    vi.mocked(dataset.buildDataset).mockClear();
    vi.mocked(device.acquireGpu).mockClear();
    const run = trainCommand.run(['--task', 'memorization', '--vocab-size', '8192', '--seq-len', '1024', '--memory-budget', '64MiB', '--log-base-path', logs]);
    await expect(run).rejects.toThrow(UsageError);
    await expect(run).rejects.toThrow(/^The data take 110\.0 MiB \(14,080 sequences of 1,024 tokens, inputs and targets\), over the memory budget of 64\.0 MiB: .* Training needs .* over the memory budget of 64\.0 MiB/);
    expect(dataset.buildDataset).not.toHaveBeenCalled();
    expect(device.acquireGpu).not.toHaveBeenCalled();
    expect(readdirSync(logs)).toEqual([]);
  });

  it('data read from --data-path that fail the data check: each problem named, no GPU, no run directory', async () => {
    logs = mkdtempSync(join(tmpdir(), 'mad-train-'));
    const setting = makeSetting('memorization', { vocabSize: 16, seqLen: 8, numTrainExamples: 16, numTestExamples: 8 });
    const data = dataset.buildDataset(setting);
    data.train.inputs[3] = 2_000_000_000;
    data.test.targets[1] = 1_000_000;
    const dataPath = join(logs, 'data');
    writeSettingDir(dataPath, data);
    vi.mocked(device.acquireGpu).mockClear();
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const logsPath = join(logs, 'runs');
    const argv = ['--task', 'memorization', '--vocab-size', '16', '--seq-len', '8', '--num-train-examples', '16', '--num-test-examples', '8', '--data-path', dataPath, '--log-base-path', logsPath];
    const error = await trainCommand.run(argv).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SettingDataError);
    expect((error as SettingDataError).problems).toEqual([
      expect.stringMatching(/train\/inputs\.npy: token 2000000000 at row 0, position 3 is outside \[0, 16\)$/),
      expect.stringMatching(/test\/targets\.npy: target 1000000 at row 0, position 1 is neither in \[0, 16\) nor -100$/),
    ]);
    expect(device.acquireGpu).not.toHaveBeenCalled();
    expect(existsSync(logsPath)).toBe(false);
  });
});
