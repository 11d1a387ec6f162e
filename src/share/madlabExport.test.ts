import { describe, expect, it } from 'vitest';
import { presetById } from '../model/presets.ts';
import { architectureFromLayers, type ArchitectureSpec } from '../model/architecture.ts';
import { makeSetting } from '../tasks/settings.ts';
import { DEFAULT_TRAINING } from '../train/types.ts';
import {
  madlabBenchmarkCommand,
  madlabCommandNotes,
  madlabExportFiles,
  madlabLayerYml,
  madlabLogsPath,
  madlabModelSnippet,
  madlabTrainCommand,
} from './madlabExport.ts';
import { toPyYaml } from './pyYaml.ts';

const transformer = presetById('transformer')!.architecture;
const wideMamba = presetById('mamba-state-16')!.architecture;

const PAPER_INIT = `def paper_init(model: nn.Module) -> nn.Module:
    """MAD's initialisation when the paper was written (mad-lab before December 2024):
    every Linear weight N(0, 0.02) and every Linear bias 0, inside the layers too."""
    for module in model.modules():
        if isinstance(module, nn.Linear):
            nn.init.normal_(module.weight, mean=0.0, std=0.02)
            if module.bias is not None:
                nn.init.zeros_(module.bias)
    return model
`;

const SHARED_TAIL = (logs: string): string => `# A logs folder of its own: mad-lab skips every run whose results.csv exists, so runs of another
# model with the same layer list must not share it.
LOGS_PATH = '${logs}'


def load_yml(path):
    with open(path, 'r') as f:
        return yaml.safe_load(f)


LAYER_CONFIGS = [load_yml(path) for path in LAYER_CONFIG_FILES]


${PAPER_INIT}

def make_model_fn(task: str, vocab_size: int, max_length: int) -> nn.Module:
    layers = [layer_registry[name]['module'] for name in LAYERS]
    layer_cfgs = [dict(cfg, dim=DIM, max_length=max_length) for cfg in LAYER_CONFIGS]
    if task == 'compression':
        return AutoEncoder(vocab_size=vocab_size, max_length=max_length, dim=DIM, layers=layers, layer_cfgs=layer_cfgs)
    return paper_init(LanguageModel(vocab_size=vocab_size, max_length=max_length, dim=DIM, layers=layers, layer_cfgs=layer_cfgs))


if __name__ == '__main__':
    benchmark(make_model_fn=make_model_fn, model_id=MODEL_ID, logs_path=LOGS_PATH)
`;

describe('mad-lab command lines', () => {
  it('benchmark.py: the layer list and dim', () => {
    expect(madlabBenchmarkCommand(transformer)).toBe('python -m benchmark --layers mh-attention swiglu mh-attention swiglu --dim 128');
    expect(madlabBenchmarkCommand(wideMamba)).toBe('python -m benchmark --layers mamba mamba mamba mamba --dim 128');
  });

  it("train.py: the setting's sizes and sweep point always, other flags where they differ from train.py's defaults", () => {
    const noisy = makeSetting('noisy-in-context-recall', { vocabSize: 48, noiseVocabSize: 16, fracNoise: 0.6 });
    expect(madlabTrainCommand(transformer, noisy, { ...DEFAULT_TRAINING, lr: 1e-4, weightDecay: 0.1 })).toBe(
      'python -m train --task noisy-in-context-recall --vocab-size 48 --seq-len 128 --num-train-examples 12800 --num-test-examples 1280 ' +
        '--frac-noise 0.6 --noise-vocab-size 16 --layers mh-attention swiglu mh-attention swiglu --dim 128 --batch-size 128 --epochs 200 ' +
        '--lr 0.0001 --weight-decay 0.1 --seed 12345',
    );
    const fuzzy = makeSetting('fuzzy-in-context-recall', { kMotifSize: 3, vMotifSize: 3, multiQuery: false, seed: 7 });
    const training = { ...DEFAULT_TRAINING, lr: 5e-5, weightDecay: 0, epochs: 20, batchSize: 64, scheduler: 'plateau' as const, earlyStop: true, stopPatience: 4, plateauPatience: 2, plateauFactor: 0.5, minLr: 0, seed: 7 };
    expect(madlabTrainCommand({ ...architectureFromLayers(['mamba', 'mamba']), backbone: 'language-model' }, fuzzy, training)).toBe(
      'python -m train --task fuzzy-in-context-recall --vocab-size 16 --seq-len 128 --num-train-examples 12800 --num-test-examples 1280 ' +
        '--k-motif-size 3 --v-motif-size 3 --no-multi-query --layers mamba mamba --backbone language-model --dim 128 --batch-size 64 --epochs 20 ' +
        '--scheduler plateau --early-stop --stop-patience 4 --plateau-patience 2 --plateau-factor 0.5 --lr 5e-05 --min-lr 0.0 --weight-decay 0.0 --seed 7',
    );
  });

  it('notes, one sentence each, what a command would change', () => {
    const exact: ArchitectureSpec = { ...architectureFromLayers(['mh-attention', 'swiglu']), init: 'current' };
    expect(madlabCommandNotes(exact)).toEqual([]);
    expect(madlabCommandNotes({ ...exact, norm: 'layer' }, { setting: makeSetting('memorization'), training: DEFAULT_TRAINING })).toEqual([]);

    const notes = madlabCommandNotes(wideMamba);
    expect(notes).toHaveLength(2);
    expect(notes[0]).toBe("The command reads mad-lab's default layer configs, so the overrides of layers 0 (mamba), 1 (mamba), 2 (mamba), 3 (mamba) are lost; the Python file keeps them.");
    expect(notes[1]).toMatch(/December 2024 scheme, not the paper's/);
    expect(madlabCommandNotes({ ...exact, norm: 'layer', backbone: 'autoencoder' })).toEqual([
      'benchmark.py always uses RMSNorm while this architecture uses LayerNorm; the Python file keeps LayerNorm.',
      'benchmark.py picks the AutoEncoder for compression and the LanguageModel otherwise, while this architecture always uses the autoencoder; the Python file keeps it.',
    ]);

    const trainNotes = madlabCommandNotes(exact, { setting: makeSetting('compression'), training: { ...DEFAULT_TRAINING, seed: 3 } });
    expect(trainNotes).toEqual([
      "train.py always uses LayerNorm while this architecture uses RMSNorm (benchmark.py's norm).",
      "train.py gives every layer max_length 1280, so its AutoEncoder emits 1280 positions where compression's targets have seq_len: train compression through benchmark.py or the Python file.",
      'mad-lab has one seed for data and training, so the command uses the data seed 12345 and not the training seed 3.',
    ]);
    for (const note of [...notes, ...trainNotes]) expect(note.endsWith('.')).toBe(true);
  });
});

describe('make_model_fn Python file', () => {
  it('a preset without overrides uses mad-lab’s own layer configs', () => {
    expect(madlabExportFiles(transformer).map((f) => f.path)).toEqual(['madlab_model.py']);
    expect(madlabModelSnippet(transformer)).toBe(`# Transformer (mA-Sg-mA-Sg), exported from MAD Lab as a mad-lab model.
#
# Put this file in the root of a mad-lab checkout (github.com/athms/mad-lab) and run
#     python madlab_model.py
# to train it on the whole MAD benchmark (benchmark.py's benchmark(): 66 task settings, each at
# 3 learning rates x 2 weight decays), or import make_model_fn from it.
import yaml
from torch import nn
from benchmark import benchmark
from mad.model import LanguageModel, AutoEncoder
from mad.registry import layer_registry

DIM = 128
MODEL_ID = 'mA-Sg-mA-Sg'
LAYERS = ['mh-attention', 'swiglu', 'mh-attention', 'swiglu']
# mad-lab's default config of each layer, or the exported config of a layer with changed settings.
LAYER_CONFIG_FILES = [
    layer_registry['mh-attention']['cfg'],
    layer_registry['swiglu']['cfg'],
    layer_registry['mh-attention']['cfg'],
    layer_registry['swiglu']['cfg'],
]
${SHARED_TAIL(madlabLogsPath(transformer))}`);
  });

  it('a preset with overrides loads the exported yml of each changed layer', () => {
    const files = madlabExportFiles(wideMamba);
    expect(files.map((f) => f.path)).toEqual([
      'madlab_model.py',
      'madlab_configs/layer0-mamba.yml',
      'madlab_configs/layer1-mamba.yml',
      'madlab_configs/layer2-mamba.yml',
      'madlab_configs/layer3-mamba.yml',
    ]);
    expect(files[0]!.text).toBe(`# Mamba (state 16) (Mb-Mb-Mb-Mb), exported from MAD Lab as a mad-lab model.
#
# Put this file in the root of a mad-lab checkout (github.com/athms/mad-lab) and run
#     python madlab_model.py
# to train it on the whole MAD benchmark (benchmark.py's benchmark(): 66 task settings, each at
# 3 learning rates x 2 weight decays), or import make_model_fn from it.
# The configs of layers with changed settings are in madlab_configs/, beside this file.
import yaml
from torch import nn
from benchmark import benchmark
from mad.model import LanguageModel, AutoEncoder
from mad.registry import layer_registry

DIM = 128
MODEL_ID = 'Mb-Mb-Mb-Mb'
LAYERS = ['mamba', 'mamba', 'mamba', 'mamba']
# mad-lab's default config of each layer, or the exported config of a layer with changed settings.
LAYER_CONFIG_FILES = [
    'madlab_configs/layer0-mamba.yml',
    'madlab_configs/layer1-mamba.yml',
    'madlab_configs/layer2-mamba.yml',
    'madlab_configs/layer3-mamba.yml',
]
${SHARED_TAIL(madlabLogsPath(wideMamba))}`);
    expect(files[1]!.text).toBe(`# mamba of layer 0 of Mb-Mb-Mb-Mb, exported from MAD Lab: mad-lab's configs/layers/mamba.yml
# with these keys changed: d_state. make_model_fn sets dim and max_length.
dim: 128
d_state: 16
d_conv: 4
expand: 2
dt_rank: 'auto'
dt_min: 0.001
dt_max: 0.1
dt_init: 'random'
dt_scale: 1
dt_init_floor: 0.0001
conv_bias: true
bias: false
`);
  });

  it('keeps LayerNorm, a fixed backbone and the current init', () => {
    const spec: ArchitectureSpec = { ...architectureFromLayers(['mlp']), norm: 'layer', backbone: 'language-model', init: 'current' };
    const snippet = madlabModelSnippet(spec);
    expect(snippet).toContain('from mad.model import LanguageModel\n');
    expect(snippet).toContain('    return LanguageModel(vocab_size=vocab_size, max_length=max_length, dim=DIM, layers=layers, layer_cfgs=layer_cfgs, norm=nn.LayerNorm)\n');
    expect(snippet).not.toContain('paper_init');
    expect(snippet).not.toContain("task == 'compression'");
    const autoencoder = madlabModelSnippet({ ...architectureFromLayers(['mlp']), backbone: 'autoencoder' });
    expect(autoencoder).toContain('from mad.model import AutoEncoder\n');
    expect(autoencoder).toContain('    return AutoEncoder(');
    expect(autoencoder).not.toContain('paper_init');
  });

  it('gives each exact architecture its own logs folder, whatever its name', () => {
    expect(madlabLogsPath(transformer)).toMatch(/^\.\/benchmark\/logs\/mA-Sg-mA-Sg-[0-9a-f]{8}$/);
    expect(madlabLogsPath({ ...transformer, name: 'renamed' })).toBe(madlabLogsPath(transformer));
    expect(madlabLogsPath({ ...transformer, init: 'current' })).not.toBe(madlabLogsPath(transformer));
  });

  it('writes the merged config of a layer with nested and list overrides', () => {
    const spec: ArchitectureSpec = {
      ...architectureFromLayers(['hyena']),
      layers: [{ type: 'hyena', config: { long_conv_cfg: { bias: true, filter_cls: 'implicit', filter_cfg: { order: 8 } } } }],
    };
    expect(madlabLayerYml(spec, 0)).toContain('long_conv_cfg:\n  bias: true\n  filter_cls: \'implicit\'\n  filter_cfg:\n    order: 8\n');
    expect(() => madlabLayerYml(spec, 1)).toThrow(/has no layer 1/);
  });
});

describe('PyYAML-safe yml', () => {
  it('writes floats PyYAML reads as floats and quotes every string', () => {
    expect(toPyYaml({ a: 1e-12, b: 0.5, c: 2, d: 1.5e21, e: -3e-7, f: 'on', g: "it's", h: null, i: [-1, -1], j: {}, k: false })).toBe(
      "a: 1.0e-12\nb: 0.5\nc: 2\nd: 1.5e+21\ne: -3.0e-7\nf: 'on'\ng: 'it''s'\nh: null\ni: [-1, -1]\nj: {}\nk: false\n",
    );
    expect(() => toPyYaml({ a: Number.NaN })).toThrow(/cannot write NaN/);
  });
});
