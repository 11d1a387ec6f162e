// The CLI as a user runs it: a child process per command, checking exit codes and output lines.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const TSX = join(REPO, 'node_modules', '.bin', 'tsx'); // what `npx tsx` runs, without npx's lookup
const root = mkdtempSync(join(tmpdir(), 'mad-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function mad(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(TSX, ['src/cli/mad.ts', ...args], { cwd: REPO, encoding: 'utf8', env: { ...process.env, MAD_DEBUG: '' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const TINY = ['--task', 'in-context-recall', '--num-train-examples', '20', '--num-test-examples', '10'];
const TINY_NAME = 't-CR_vs-16_sl-128_ntr-20_nte-10_km-1_vm-1_mq-1_fn-0#0_nvs-0_ntc-0_s-12345';

describe('mad data', () => {
  const out = join(root, 'data');

  it('writes one setting, skips it the second time, and the check passes', () => {
    const first = mad('data', ...TINY, '--out', out);
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`^${TINY_NAME}  train 20×127  test 10×127  \\d+\\.\\d\\d s\\n`));
    expect(readdirSync(out)).toEqual([TINY_NAME]);

    const again = mad('data', ...TINY, '--out', out);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain(`${TINY_NAME}  exists, skipped (--force regenerates it)`);

    const check = mad('data', '--check', out);
    expect(check.status).toBe(0);
    expect(check.stdout).toBe(`${TINY_NAME}  train 20  test 10  len 127  scored/test row 56.0  OK\nchecked 1 setting: all OK\n`);
  });

  it('writes a task grid with --all-settings', () => {
    const grid = join(root, 'grid');
    const result = mad('data', '--task', 'memorization', '--all-settings', '--out', grid);
    expect(result.status).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(7); // 6 settings and the summary
    expect(readdirSync(grid)).toHaveLength(6);
  });

  it('exits 1 with one line per problem when the check fails', () => {
    const broken = join(root, 'broken');
    expect(mad('data', ...TINY, '--out', broken).status).toBe(0);
    const file = join(broken, TINY_NAME, 'train', 'targets.npy');
    writeFileSync(file, 'not numpy');
    const check = mad('data', '--check', broken);
    expect(check.status).toBe(1);
    expect(check.stdout).toBe(
      `${TINY_NAME}  train ?  test 10  len 127  scored/test row 56.0  1 problem\n  ${file}: not a .npy file (bad magic)\nchecked 1 setting: 1 with problems\n`,
    );
  });

  it.each([
    [['data', '--bogus'], 2, "mad data: unknown flag --bogus (see: npm run mad -- data --help)"],
    [['data', ...TINY], 2, 'mad data: --out DIR is required (see: npm run mad -- data --help)'],
    [['data', '--task', 'all', '--out', root], 2, 'mad data: --task all needs --all-settings (see: npm run mad -- data --help)'],
    [['data', '--seq-len', '7', '--out', root], 2, 'mad data: Invalid in-context-recall setting: seqLen must be even and ≥ 4, got 7 (see: npm run mad -- data --help)'],
    [['data', '--check', root, '--force'], 2, 'mad data: --check takes no other flags (got --force) (see: npm run mad -- data --help)'],
    [['data', '--check', join(root, 'nowhere')], 1, `mad data: ${join(root, 'nowhere')}: not a directory`],
  ])('%j exits %i with one line: %s', (args, status, line) => {
    const result = mad(...args);
    expect(result.status).toBe(status);
    expect(result.stderr).toBe(`${line}\n`);
  });
});

describe('mad scores', () => {
  it('is registered: a logs directory without runs exits 1, a missing DIR is a usage error', () => {
    const empty = join(root, 'no-runs');
    mkdirSync(empty);
    const none = mad('scores', empty);
    expect(none.status).toBe(1);
    expect(none.stderr).toBe(`mad scores: no run results under ${empty} (expected <run-dir>/results.csv files)\n`);
    const missing = mad('scores', '--json');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe('mad scores: DIR is required: the logs directory to score (see: npm run mad -- scores --help)\n');
  });

  it('warns on stderr about each file it cannot use, naming it, scores the rest and notes what the score leaves out', () => {
    const logs = join(root, 'scores-logs');
    const good = 't-M_vs-16_sl-8_ntr-256_nte-64_km-1_vm-1_mq-1_fn-0#0_nvs-0_ntc-0_bs-128_e-2_lr-0#003_wd-0#0_opt-adamw_sch-cosine_s-12345_model-H-Sg';
    const bad = good.replace('lr-0#003', 'lr-0#001');
    const header = 'train_acc,train_ppl,train_loss,test_acc,test_ppl,test_loss';
    mkdirSync(join(logs, good), { recursive: true });
    writeFileSync(join(logs, good, 'results.csv'), `${header}\n0.5,2.0,0.7,0.25,3.0,1.1\n`);
    mkdirSync(join(logs, bad), { recursive: true });
    writeFileSync(join(logs, bad, 'results.csv'), `${header}\n0.5,2.0,0.7,7,3.0,1.1\n`);
    const result = mad('scores', logs);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe(
      `warning: ${join(logs, bad, 'results.csv')}: impossible results (test_acc 7 is not an accuracy in [0, 1]); skipped.\n` +
        'note: model H-Sg has no scored run of in-context-recall, noisy-in-context-recall, fuzzy-in-context-recall, compression, selective-copying: its mean is over the other 1 of the 6 tasks.\n',
    );
    expect(result.stdout).toBe('\n----\nMAD scores for each synthetic task (model H-Sg):\n  memorization: 0.2500\nMean across Tasks: 0.2500\n');
  });
});

describe('mad', () => {
  it('prints usage on --help (exit 0) and on an unknown command (exit 2)', () => {
    const help = mad('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^usage: npm run mad -- <command> \[flags\]\n[\s\S]*\n {2}data {2}/);
    const unknown = mad('trian');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^mad: unknown command 'trian'\n\nusage:/);
    const dataHelp = mad('data', '--help');
    expect(dataHelp.status).toBe(0);
    expect(dataHelp.stdout).toContain('--num-tokens-to-copy C');
  });
});
