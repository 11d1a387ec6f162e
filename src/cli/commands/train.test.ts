// `mad train` without a GPU: the run directory train.py's flags name, a stored run printed instead
// of trained, and the flags it refuses. (benchmark.test.ts trains through the same runtime.)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatResultsCsv } from '../../train/fileResultsStore.ts';
import { UsageError } from '../args.ts';
import { trainCommand } from './train.ts';

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
