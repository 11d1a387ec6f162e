// The model flags of train, benchmark and info without a GPU: --layer-config (type or position,
// dotted keys, YAML values, each refusal naming the occurrence), --model and --link read and
// refused as the Builder's importers refuse them, and what train and benchmark do with a link's run.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { architectureFromLayers, type ArchitectureSpec } from '../model/architecture.ts';
import { exportArchitectureJson } from '../share/jsonExport.ts';
import { MAX_ARCHITECTURE_FILE_LENGTH, type ShareState } from '../share/shareState.ts';
import { shareUrl } from '../share/urlCodec.ts';
import { makeSetting } from '../tasks/settings.ts';
import { UsageError } from './args.ts';
import { benchmarkCommand } from './commands/benchmark.ts';
import { infoCommand } from './commands/info.ts';
import { trainPlan } from './commands/train.ts';
import { parseLayerConfigEdit } from './layerConfigFlag.ts';
import { modelFromFlags, type ModelFlags } from './modelSource.ts';

const dir = mkdtempSync(join(tmpdir(), 'mad-model-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

const layersModel = (names: string[], dim = 32) => (): ArchitectureSpec => architectureFromLayers(names, { dim });
const model = (flags: ModelFlags, names = ['attention', 'swiglu', 'attention', 'swiglu']) => modelFromFlags({ layers: names.join(','), ...flags }, layersModel(names)).architecture;
const refusal = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected a usage error');
};

const D32: ArchitectureSpec = { version: 1, dim: 32, layers: [{ type: 'attention', config: { rotary_emb_dim: 32 } }, { type: 'swiglu' }] };
const link = (state: ShareState): string => shareUrl('https://mad-lab.example/', state);

describe('--layer-config', () => {
  it('reads NAME.KEY=VALUE: a type or a 1-based position, dotted keys, YAML values', () => {
    expect(parseLayerConfigEdit('attention.rotary_emb_dim=32')).toMatchObject({ target: { type: 'attention' }, keys: ['rotary_emb_dim'], value: 32 });
    expect(parseLayerConfigEdit('2.window_size=[64,0]')).toMatchObject({ target: { index: 1 }, keys: ['window_size'], value: [64, 0] });
    expect(parseLayerConfigEdit('hyena.long_conv_cfg.filter_cfg.order=16')).toMatchObject({ keys: ['long_conv_cfg', 'filter_cfg', 'order'], value: 16 });
    expect(parseLayerConfigEdit('mlp.bias=false').value).toBe(false);
    expect(parseLayerConfigEdit('mamba.dt_rank=null').value).toBeNull();
  });

  it('sets every layer of a type, or one position; a later occurrence wins', () => {
    const all = model({ 'layer-config': ['attention.rotary_emb_dim=32'] });
    expect(all.layers.map((l) => l.config)).toEqual([{ rotary_emb_dim: 32 }, undefined, { rotary_emb_dim: 32 }, undefined]);
    const one = model({ 'layer-config': ['attention.rotary_emb_dim=32', '3.n_heads=2', '3.rotary_emb_dim=16', '1.window_size=[8,0]'] });
    expect(one.layers[0]!.config).toEqual({ rotary_emb_dim: 32, window_size: [8, 0] });
    expect(one.layers[2]!.config).toEqual({ rotary_emb_dim: 16, n_heads: 2 });
  });

  it('repeats on the command line, after a space-separated --layers (the issue’s command, made to run)', () => {
    const argv = ['--layers', 'attention', 'swiglu', 'attention', 'swiglu', '--dim', '32', '--layer-config', 'attention.rotary_emb_dim=32', '--layer-config=3.window_size=[16,0]'];
    const { architecture } = trainPlan(argv);
    expect(architecture.layers.map((l) => l.config)).toEqual([{ rotary_emb_dim: 32 }, undefined, { rotary_emb_dim: 32, window_size: [16, 0] }, undefined]);
  });

  it('a nested key keeps the settings beside it (the yml default’s mapping is the start)', () => {
    const spec = model({ 'layer-config': ['hyena.long_conv_cfg.filter_cfg.order=16'] }, ['hyena', 'swiglu']);
    expect(spec.layers[0]!.config).toEqual({ long_conv_cfg: { bias: true, filter_cls: 'implicit', filter_cfg: { order: 16 } } });
  });

  it('names the occurrence and what to change for a bad form, name, position, key or value', () => {
    expect(refusal(() => parseLayerConfigEdit('attention.rotary_emb_dim'))).toMatch(/^--layer-config needs NAME\.KEY=VALUE .*got 'attention\.rotary_emb_dim'$/);
    expect(refusal(() => parseLayerConfigEdit('attention=4'))).toMatch(/needs NAME\.KEY=VALUE/);
    expect(refusal(() => parseLayerConfigEdit('attention.window_size=[64,'))).toMatch(/^--layer-config 'attention\.window_size=\[64,': VALUE is not YAML/);
    expect(refusal(() => model({ 'layer-config': ['mamba.d_state=8'] }))).toBe(
      "--layer-config 'mamba.d_state=8': the model has no mamba layer; name one of its layer types or positions (1 attention, 2 swiglu, 3 attention, 4 swiglu)",
    );
    expect(refusal(() => model({ 'layer-config': ['5.dropout=0'] }))).toMatch(/^--layer-config '5\.dropout=0': the model has no layer 5; positions run from 1 to 4/);
    expect(refusal(() => model({ 'layer-config': ['attention.rotary_emb_dim=32', 'swiglu.hidden=64'] }))).toMatch(
      /^--layer-config 'swiglu\.hidden=64': layers\[1\]: swiglu: unknown config key 'hidden' \(known: .*\); --layer-config 'swiglu\.hidden=64': layers\[3\]/,
    );
    expect(refusal(() => model({ 'layer-config': ['attention.rotary_emb_dim=16'] }))).toMatch(
      /^--layer-config 'attention\.rotary_emb_dim=16': layers\[0\]: attention: 'rotary_emb_dim' must equal the head dim dim\/n_heads = 32 .*got 16/,
    );
  });

  it('without it, a model the yml defaults make invalid says which --layer-config would fix it (the issue’s --dim 32)', () => {
    expect(refusal(() => model({}))).toMatch(
      /^layers\[0\]: attention: 'rotary_emb_dim' must equal the head dim dim\/n_heads = 32 .*got 128 \(change it with --layer-config attention\.rotary_emb_dim=VALUE\)/,
    );
    // Only the third layer is left at its default.
    expect(refusal(() => model({ 'layer-config': ['1.rotary_emb_dim=32'] }))).toMatch(/^layers\[2\]: attention: .*got 128 \(change it with --layer-config attention\.rotary_emb_dim=VALUE\)$/);
  });
});

describe('--model and --link', () => {
  it('take the model exactly, edits on top; one source at a time, and no flag that would change the model', () => {
    const file = join(dir, 'd32.mad.json');
    writeFileSync(file, exportArchitectureJson({ architecture: { ...D32, norm: 'layer', backbone: 'language-model' } }));
    expect(modelFromFlags({ model: file }, layersModel([])).architecture).toEqual({ ...D32, norm: 'layer', backbone: 'language-model' });
    const edited = modelFromFlags({ link: link({ architecture: D32 }), 'layer-config': ['1.window_size=[8,0]'] }, layersModel([])).architecture;
    expect(edited.layers[0]!.config).toEqual({ rotary_emb_dim: 32, window_size: [8, 0] });
    expect(refusal(() => modelFromFlags({ model: file, layers: 'mlp' }, layersModel(['mlp'])))).toBe('give one of --model, --link or --layers, not --model and --layers');
    expect(refusal(() => modelFromFlags({ link: 'x', model: file }, layersModel([])))).toMatch(/not --model and --link/);
    expect(refusal(() => modelFromFlags({ model: file, dim: 64, norm: 'rms' }, layersModel([])))).toMatch(/^--dim, --norm cannot be combined with --model: the model defines its own/);
    expect(refusal(() => modelFromFlags({ link: link({ architecture: D32 }), backbone: 'autoencoder' }, layersModel([])))).toMatch(/^--backbone cannot be combined with --link/);
  });

  it('refuse a missing, oversized or foreign file before parsing it, and a damaged link, with the importers’ words', () => {
    expect(refusal(() => modelFromFlags({ model: join(dir, 'nowhere.json') }, layersModel([])))).toMatch(/no such file; give the path of a file saved with the Builder's Export JSON/);
    const big = join(dir, 'big.json');
    writeFileSync(big, ' '.repeat(MAX_ARCHITECTURE_FILE_LENGTH + 1));
    expect(refusal(() => modelFromFlags({ model: big }, layersModel([])))).toMatch(/This file is [\d,]+ bytes long, over the limit of/);
    const foreign = join(dir, 'foreign.json');
    writeFileSync(foreign, '{"layers": []}');
    expect(refusal(() => modelFromFlags({ model: foreign }, layersModel([])))).toMatch(/not a MAD Lab architecture/);
    expect(refusal(() => modelFromFlags({ link: 'https://mad-lab.example/#/builder' }, layersModel([])))).toMatch(/^--link: This is not a MAD Lab link/);
    expect(refusal(() => modelFromFlags({ link: link({ architecture: D32 }).slice(0, -12) }, layersModel([])))).toMatch(/^--link: This link is incomplete|^--link: This link's data is damaged/);
  });
});

describe("a link's run", () => {
  const setting = makeSetting('in-context-recall', { vocabSize: 16, seqLen: 32, numTrainExamples: 64, numTestExamples: 16, seed: 5 });

  it('train: a grid or protocol is refused with the benchmark command, unless --task picks the setting', () => {
    const grid = link({ architecture: D32, run: { selection: { kind: 'task-grid', task: 'memorization' }, training: { lr: 0.002, seed: 3 } } });
    expect(refusal(() => trainPlan(['--link', grid]))).toBe(
      `--link's run is the memorization task grid, not one setting: benchmark it with \`npm run mad -- benchmark --link '${grid}' --profile quick\`, or give --task to train the model on one setting`,
    );
    const protocol = link({ architecture: D32, run: { selection: { kind: 'protocol', profile: 'quick' }, training: { seed: 3 } } });
    expect(refusal(() => trainPlan(['--link', protocol]))).toMatch(/^--link's run is the quick protocol, not one setting: benchmark it with `npm run mad -- benchmark --link '.*'`, or give --task/);
    const plan = trainPlan(['--link', grid, '--task', 'memorization', '--num-train-examples', '64', '--num-test-examples', '16']);
    expect(plan.training).toMatchObject({ lr: 0.002, seed: 3 });
    expect(plan.setting).toMatchObject({ task: 'memorization', seed: 3 });
  });

  it('train: differing data and training seeds need --seed; a setting of another --task is not used', () => {
    const twoSeeds = link({ architecture: D32, run: { selection: { kind: 'setting', setting }, training: { seed: 9 } } });
    expect(refusal(() => trainPlan(['--link', twoSeeds]))).toBe("--link's data seed 5 and training seed 9 differ, and train uses one seed for both: give --seed");
    expect(trainPlan(['--link', twoSeeds, '--seed', '9']).setting).toMatchObject({ seqLen: 32, seed: 9 });
    expect(trainPlan(['--link', twoSeeds, '--seed', '9', '--task', 'memorization']).setting).toMatchObject({ task: 'memorization', seqLen: 128, numTrainExamples: 12_800 });
  });

  it("benchmark: a protocol link's profile; a setting, grid or demo-scale link needs --profile", async () => {
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
    const protocol = link({ architecture: D32, run: { selection: { kind: 'protocol', profile: 'quick' }, training: { seed: 3 } } });
    expect(await benchmarkCommand.run(['--link', protocol, '--plan', '--logs-path', dir])).toBe(0);
    expect(lines[0]).toMatch(/^profile quick: /);
    expect(lines[1]).toMatch(/^model A-Sg \(d=32\), 6 runs/);
    const settingLink = link({ architecture: D32, run: { selection: { kind: 'setting', setting }, training: { seed: 5 } } });
    await expect(benchmarkCommand.run(['--link', settingLink, '--plan'])).rejects.toThrow(
      /^--link's run is one in-context-recall setting, which the Runs page trains without a MAD score; add --profile quick/,
    );
    const demo = link({ architecture: D32, run: { selection: { kind: 'protocol', profile: 'quick' }, demo: { numTrainExamples: 256, numTestExamples: 64, epochs: 4 } } });
    await expect(benchmarkCommand.run(['--link', demo, '--plan'])).rejects.toThrow(/demo scale \(256 train \/ 64 test examples, 4 epochs\).*add --profile quick to run it at full size/);
    lines.length = 0;
    expect(await benchmarkCommand.run(['--link', demo, '--profile', 'quick', '--plan', '--logs-path', dir])).toBe(0);
    expect(lines[0]).toMatch(/^profile quick: /);
  });

  it('info: the model counted at the link’s setting sizes', async () => {
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
    const settingLink = link({ architecture: D32, run: { selection: { kind: 'setting', setting } } });
    expect(await infoCommand.run(['--link', settingLink])).toBe(0);
    expect(lines.join('\n').split('\n').at(-1)).toBe('model id A-Sg  (LanguageModel, d=32, V=16, max_length=32, RMSNorm)');
    await expect(infoCommand.run([])).rejects.toThrow(/^name the model: --layers NAME…, --model FILE/);
  });
});
