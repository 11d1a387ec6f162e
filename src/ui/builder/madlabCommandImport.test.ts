import { describe, expect, it } from 'vitest';
import { architectureFromLayers } from '../../model/architecture.ts';
import { madlabBenchmarkCommand } from '../../share/madlabExport.ts';
import { architectureFromMadlabCommand } from './madlabCommandImport.ts';

describe('mad-lab command import', () => {
  it('reads back the benchmark command the lab exports', () => {
    const spec = architectureFromLayers(['mh-hyena', 'swiglu', 'mh-attention', 'swiglu'], { dim: 128 });
    expect(architectureFromMadlabCommand(madlabBenchmarkCommand(spec))).toEqual(spec);
  });

  it('reads a train.py command: its LayerNorm, backbone and width, across line continuations', () => {
    const command = 'python -m train --task in-context-recall \\\n  --layers mamba swiglu --backbone language-model --dim 64 --lr 0.001';
    expect(architectureFromMadlabCommand(command)).toEqual(architectureFromLayers(['mamba', 'swiglu'], { dim: 64, backbone: 'language-model', norm: 'layer' }));
  });

  it('refuses what is not a mad-lab model, saying why', () => {
    expect(() => architectureFromMadlabCommand('ls -la')).toThrow("starts with 'python -m benchmark' or 'python -m train'");
    expect(() => architectureFromMadlabCommand('python -m benchmark --dim 128')).toThrow('no --layers list');
    expect(() => architectureFromMadlabCommand('python -m benchmark --layers transformer')).toThrow(/unknown layer type "transformer"/);
    expect(() => architectureFromMadlabCommand('python -m benchmark --layers mlp --dim x')).toThrow(/dim must be an integer/);
    expect(() => architectureFromMadlabCommand('python -m train --layers mlp --backbone gpt')).toThrow('--backbone must be language-model or autoencoder');
  });
});
