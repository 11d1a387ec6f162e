import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LAYERS } from '../../layers/registry.ts';
import { UsageError } from '../args.ts';
import { infoCommand } from './info.ts';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const TSX = join(REPO, 'node_modules', '.bin', 'tsx');

async function info(...argv: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
  try {
    const code = await infoCommand.run(argv);
    return { code, out: lines.join('\n') };
  } finally {
    spy.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

describe('mad info', () => {
  it('prints each layer, the backbone parameters, the totals and the model id (mlp-only, by hand)', async () => {
    const { code, out } = await info('--layers', 'mlp', 'mlp', '--vocab-size', '16', '--seq-len', '128');
    expect(code).toBe(0);
    expect(out.split('\n')).toEqual([
      '#  layer      shorthand  parameters  state',
      '-  ---------  ---------  ----------  -----',
      '0  mlp        M             131,072      0',
      '1  mlp        M             131,072      0',
      '   embedding                  2,048',
      '   norms                        384',
      '   head                       2,064',
      '-  ---------  ---------  ----------  -----',
      '   total                    266,640      0',
      'model id M-M  (LanguageModel, d=128, V=16, max_length=128, RMSNorm)',
    ]);
  });

  it('takes comma-separated layers, the AutoEncoder for compression, LayerNorm and another width', async () => {
    const { out } = await info('--layers', 'mlp,mlp', '--task', 'compression', '--seq-len', '32', '--norm', 'layer', '--dim', '64');
    const d = 64;
    expect(out).toContain('decoder (3 Linears)');
    expect(out).toMatch(new RegExp(`total +${(2 * 8 * d * d + 16 * d + 5 * 2 * d + 2 * (d * d + d) + 16 * d + 16).toLocaleString('en-US')} `));
    expect(out).toContain('model id M-M  (AutoEncoder, d=64, V=16, max_length=32, LayerNorm)');
  });

  it('counts the docs/protocol.md §4.0 default model when its layers are registered', async () => {
    const needed = ['mh-attention', 'swiglu'];
    if (!needed.every((n) => LAYERS.some((l) => l.name === n))) return; // counted in src/model/counting.test.ts once they are
    const { out } = await info('--layers', 'mh-attention', 'swiglu', 'mh-attention', 'swiglu');
    expect(out).toMatch(/total +407,184/);
    expect(out).toContain('model id mA-Sg-mA-Sg');
  });

  it('refuses bad input with a usage error that names it', async () => {
    await expect(info()).rejects.toThrow(UsageError);
    await expect(info('--layers')).rejects.toThrow(/--layers needs at least one layer name/);
    await expect(info('--layers', 'mlp', 'transformer')).rejects.toThrow(/layers\[1\]: unknown layer type "transformer"/);
    await expect(info('--layers', 'mlp', '--task', 'sorting')).rejects.toThrow(/unknown task 'sorting'/);
    await expect(info('--layers', 'mlp', '--norm', 'batch')).rejects.toThrow(/--norm must be rms or layer/);
    await expect(info('--layers', 'mlp', '--dim', '0')).rejects.toThrow(/dim must be an integer/);
  });

  it('is registered in mad.ts (a child process, as a user runs it)', () => {
    const ok = spawnSync(TSX, ['src/cli/mad.ts', 'info', '--layers', 'mlp'], { cwd: REPO, encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('model id M  (LanguageModel');
    const bad = spawnSync(TSX, ['src/cli/mad.ts', 'info', '--layers', 'nope'], { cwd: REPO, encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('mad info: layers[0]: unknown layer type "nope"');
  }, 60_000);
});
