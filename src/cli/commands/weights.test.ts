// `mad weights export|inspect` without a GPU: inspect prints a file's metadata and tensors under
// mad-lab's names and checks it against the model its metadata records or the flags describe, and
// refuses a file that is not safetensors or is over the size cap before reading it.
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_WEIGHTS_FILE_BYTES, WeightsFileError } from '../../weights/safetensors.ts';
import { weightsCommand } from './weights.ts';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
  vi.restoreAllMocks();
});

async function runCli(argv: string[]): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void out.push(args.join(' ')));
  const code = await weightsCommand.run(argv);
  vi.mocked(console.log).mockRestore();
  return { code, out };
}

const MODEL = ['--layers', 'mlp', '--dim', '8', '--vocab-size', '16', '--max-length', '8'];

describe('mad weights', () => {
  it('inspect prints what export wrote, under mad-lab names, and checks it against the recorded model and a given one', async () => {
    dir = mkdtempSync(join(tmpdir(), 'mad-weights-'));
    const file = join(dir, 'w.safetensors');
    const exported = await runCli(['export', '--out', file, ...MODEL, '--seed', '5']);
    expect(exported.code).toBe(0);
    expect(exported.out[0]).toMatch(/^wrote .*w\.safetensors \([\d,]+ bytes\): initial weights at seed 5$/);

    const { code, out } = await runCli(['inspect', file]);
    expect(code).toBe(0);
    expect(out[0]).toMatch(/w\.safetensors: 7 tensors, 4,064 bytes$/);
    expect(out).toContain('  format: mad-lab-state-dict');
    expect(out).toContain('  architecture: {"backbone":"auto","dim":8,"layers":[{"type":"mlp"}],"norm":"rms","version":1}');
    expect(out).toContain('  seed: 5');
    expect(out).toContain('  vocab_size: 16');
    expect(out).toContain('  max_length: 8');
    // LanguageModel (rms norms, no bias): mlp's fc/proj without bias, the head's bias.
    expect(out.filter((l) => /^  \S+\s+F32\s+\[/.test(l)).map((l) => l.trim().replace(/\s+/g, ' '))).toEqual([
      'token_embeds.weight F32 [16, 8]',
      'model.0.norm.weight F32 [8]',
      'model.0.layer.fc.weight F32 [32, 8]',
      'model.0.layer.proj.weight F32 [8, 32]',
      'unembed.lm_head.weight F32 [16, 8]',
      'unembed.norm.weight F32 [8]',
      'unembed.lm_head.bias F32 [16]',
    ]);
    expect(out).toContain('total values: 800 (shared tensors and buffers counted under each name)');
    expect(out.at(-1)).toBe('fits the model');

    const other = await runCli(['inspect', file, '--layers', 'swiglu', '--dim', '8']);
    expect(other.code).toBe(1);
    expect(other.out.at(-1)).toMatch(/^does not fit the model: .*w\.safetensors: its weights belong to another model \(architecture\.layers\[0\]\.type: the file has "mlp", the model has "swiglu"\)$/);
  });

  it('refuses a file that is not safetensors, and one over the cap before reading it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'mad-weights-'));
    const junk = join(dir, 'junk.safetensors');
    writeFileSync(junk, new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 1, 2, 3]));
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const error = await weightsCommand.run(['inspect', junk]).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(WeightsFileError);
    expect((error as Error).message).toBe(`${junk}: its header length says 4294967295 bytes, more than the 16,777,216 MAD Lab reads (is it a safetensors file?)`);

    const huge = join(dir, 'huge.safetensors');
    const fd = openSync(huge, 'w');
    ftruncateSync(fd, MAX_WEIGHTS_FILE_BYTES + 1); // sparse: no gigabyte is written, and none may be read
    closeSync(fd);
    await expect(weightsCommand.run(['inspect', huge])).rejects.toThrow(`${huge}: it is 1,073,741,825 bytes, more than the 1,073,741,824 MAD Lab reads`);
  });
});
