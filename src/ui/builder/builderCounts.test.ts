import { describe, expect, it } from 'vitest';
import { architectureFromLayers, checkArchitecture, type ArchitectureSpec } from '../../model/architecture.ts';
import { LAYERS } from '../../layers/registry.ts';
import { modelFigures, paletteFigures } from './builderCounts.ts';

const figuresOf = (spec: ArchitectureSpec) => modelFigures(spec, checkArchitecture(spec), { vocabSize: 16, seqLen: 128 }, 'cpu');

describe('builder figures', () => {
  it('counts every registry layer at d = 128 (docs/protocol.md §4.0 per-layer table)', () => {
    const figures = paletteFigures(128, 128);
    expect(figures.size).toBe(LAYERS.length);
    expect(figures.get('mh-attention')).toEqual({ ok: true, parameters: 66_048, stateSize: null });
    expect(figures.get('swiglu')).toEqual({ ok: true, parameters: 135_168, stateSize: 0 });
    expect(figures.get('mamba')).toEqual({ ok: true, parameters: 107_264, stateSize: 1_024 });
    expect(figures.get('hyena')).toEqual({ ok: true, parameters: 123_964 + 3 * 128, stateSize: null });
  });

  it('gives the reason when a layer’s defaults do not fit the width', () => {
    expect(paletteFigures(24, 128).get('mh-attention')).toEqual({ ok: false, reason: "'n_heads' (16) must divide 'dim' (24)" });
    expect(paletteFigures(24, 128).get('swiglu')).toMatchObject({ ok: true });
    // A width over the size policy gives the policy's reason rather than reaching the kernels.
    expect(paletteFigures(4096, 8).get('mlp')).toEqual({ ok: false, reason: "Model width 4,096 is over the limit of 2,048 (16× MAD's largest width (128)): use a narrower model" });
  });

  it('totals mA-Sg-mA-Sg at V 16, L 128 as the spec gives them, with step memory and FLOPs', () => {
    const figures = figuresOf(architectureFromLayers(['mh-attention', 'swiglu', 'mh-attention', 'swiglu']));
    if (!figures.ok) throw new Error(figures.reason);
    expect(figures.count.total).toBe(407_184);
    expect(figures.batchSize).toBe(128);
    expect(figures.flops.total).toBeGreaterThan(6 * 407_184 * 128 * 128 * 0.9);
    expect(figures.memory.totalBytes).toBeGreaterThan(16 * 407_184);
  });

  it('explains an empty model and an invalid one instead of counting', () => {
    expect(figuresOf(architectureFromLayers([]))).toEqual({ ok: false, reason: 'Add a block to the model to see its totals.' });
    const invalid = figuresOf({ ...architectureFromLayers(['mh-attention']), dim: 24 });
    expect(invalid).toEqual({ ok: false, reason: "layers[0]: mh-attention: 'n_heads' (16) must divide 'dim' (24)" });
  });
});
