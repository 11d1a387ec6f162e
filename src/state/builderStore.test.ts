import { beforeEach, describe, expect, it } from 'vitest';
import { architectureFromLayers, modelId } from '../model/architecture.ts';
import { DEFAULT_LAYERS } from '../model/presets.ts';
import { HISTORY_LIMIT, useBuilderStore } from './builderStore.ts';

const store = () => useBuilderStore.getState();
const id = () => modelId(store().spec);

beforeEach(() => {
  useBuilderStore.setState({ spec: architectureFromLayers(DEFAULT_LAYERS), selected: null, past: [], future: [], counting: { vocabSize: 16, seqLen: 128 } });
});

describe('builder store', () => {
  it('starts from mad-lab’s default train.py model', () => {
    expect(id()).toBe('mA-Sg-mA-Sg');
    expect(store().spec.dim).toBe(128);
  });

  it('adds blocks at an index or at the end and selects the new block', () => {
    expect(store().add('mamba', 1)).toEqual({ ok: true });
    expect(id()).toBe('mA-Mb-Sg-mA-Sg');
    expect(store().selected).toBe(1);
    store().add('moe-mlp');
    expect(id()).toBe('mA-Mb-Sg-mA-Sg-MoE');
    expect(store().selected).toBe(5);
  });

  it('refuses an unknown layer type and keeps the stack', () => {
    const result = store().add('transformer-xl');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/^block 5: unknown layer type "transformer-xl"/);
    expect(id()).toBe('mA-Sg-mA-Sg');
    expect(store().past).toHaveLength(0);
  });

  it('moves a block up and down, and the selection follows the block it names', () => {
    store().select(3);
    store().move(0, 2); // mA from the top to index 2
    expect(id()).toBe('Sg-mA-mA-Sg');
    expect(store().selected).toBe(3);
    store().select(1);
    store().move(1, 0);
    expect(id()).toBe('mA-Sg-mA-Sg');
    expect(store().selected).toBe(0);
    store().move(3, 99); // clamped to the end: nothing changes
    expect(store().past).toHaveLength(2);
  });

  it('duplicates a block with its overrides and selects the copy', () => {
    store().updateConfig(0, { n_heads: 8, rotary_emb_dim: 16 });
    store().duplicate(0);
    expect(id()).toBe('mA-mA-Sg-mA-Sg');
    expect(store().spec.layers[1]).toEqual({ type: 'mh-attention', config: { n_heads: 8, rotary_emb_dim: 16 } });
    expect(store().spec.layers[1]!.config).not.toBe(store().spec.layers[0]!.config);
    expect(store().selected).toBe(1);
  });

  it('removes a block and keeps a sensible selection', () => {
    store().select(3);
    store().remove(3);
    expect(id()).toBe('mA-Sg-mA');
    expect(store().selected).toBe(2);
    store().select(2);
    store().remove(0);
    expect(store().selected).toBe(1);
    store().clear();
    expect(store().spec.layers).toEqual([]);
    expect(store().selected).toBeNull();
  });

  it('refuses an invalid override with the layer’s reason and keeps the old value', () => {
    expect(store().updateConfig(0, { n_heads: 3 })).toEqual({ ok: false, reason: "'n_heads' (3) must divide 'dim' (128)", configKeys: ['n_heads'] });
    expect(store().spec.layers[0]).toEqual({ type: 'mh-attention' });
    const drop = store().updateConfig(1, { drop_rate: 0.1 });
    expect(drop).toMatchObject({ ok: false, configKeys: ['drop_rate'] });
    expect(store().past).toHaveLength(0);
    expect(store().updateConfig(0, { n_heads: 8, rotary_emb_dim: 16 })).toEqual({ ok: true });
    expect(store().spec.layers[0]!.config).toEqual({ n_heads: 8, rotary_emb_dim: 16 });
    expect(store().updateConfig(0, {})).toEqual({ ok: true });
    expect(store().spec.layers[0]).toEqual({ type: 'mh-attention' });
  });

  it('refuses a width some block cannot take, naming the block', () => {
    const result = store().setDim(24);
    expect(result).toEqual({ ok: false, reason: "block 1: mh-attention: 'n_heads' (16) must divide 'dim' (24)" });
    expect(store().spec.dim).toBe(128);
    // mh-attention's yml fixes rotary_emb_dim at 8 = 128 / 16, so its default only fits d = 128.
    expect(store().setDim(64).ok).toBe(false);
    store().loadArchitecture(architectureFromLayers(['mamba', 'swiglu']));
    expect(store().setDim(64)).toEqual({ ok: true });
    expect(store().spec.dim).toBe(64);
    expect(store().setDim(0).ok).toBe(false);
  });

  it('changes an empty stack’s width: an empty stack is a normal state while editing', () => {
    store().clear();
    expect(store().setDim(96)).toEqual({ ok: true });
  });

  it('sets norm, backbone, init and name, refusing an autoencoder at an odd width', () => {
    store().setNorm('layer');
    store().setInit('current');
    store().setName('  my hybrid ');
    expect(store().spec).toMatchObject({ norm: 'layer', init: 'current', name: 'my hybrid' });
    store().setName('');
    expect(store().spec.name).toBeUndefined();
    store().clear();
    store().add('mlp');
    store().setDim(33);
    expect(store().setBackbone('autoencoder').ok).toBe(false);
    expect(store().spec.backbone).toBeUndefined();
  });

  it('undoes and redoes every kind of change, and a new change clears the redo list', () => {
    store().add('mamba');
    store().move(4, 0);
    store().setNorm('layer');
    expect(id()).toBe('Mb-mA-Sg-mA-Sg');
    store().undo();
    expect(store().spec.norm).toBeUndefined();
    store().undo();
    expect(id()).toBe('mA-Sg-mA-Sg-Mb');
    store().redo();
    expect(id()).toBe('Mb-mA-Sg-mA-Sg');
    store().remove(0);
    expect(store().future).toHaveLength(0);
    store().redo(); // nothing to redo
    expect(id()).toBe('mA-Sg-mA-Sg');
    store().undo();
    store().undo();
    store().undo();
    expect(id()).toBe('mA-Sg-mA-Sg');
    expect(store().past).toHaveLength(0);
    store().undo(); // nothing to undo
    expect(id()).toBe('mA-Sg-mA-Sg');
  });

  it('bounds the history', () => {
    for (let i = 0; i < HISTORY_LIMIT + 20; i++) store().setNorm(i % 2 === 0 ? 'layer' : 'rms');
    expect(store().past).toHaveLength(HISTORY_LIMIT);
  });

  it('loads a valid architecture as one undoable change and refuses a broken one with every problem', () => {
    const hybrid = { ...architectureFromLayers(['mh-hyena', 'swiglu', 'mh-attention', 'swiglu']), name: 'hybrid' };
    expect(store().loadArchitecture(hybrid)).toEqual({ ok: true });
    expect(id()).toBe('mH-Sg-mA-Sg');
    expect(store().spec).not.toBe(hybrid);
    const broken = store().loadArchitecture({ version: 99, dim: 128, layers: [{ type: 'nope' }] });
    expect(broken.ok).toBe(false);
    if (!broken.ok) {
      expect(broken.reason).toMatch(/version must be 1, got 99/);
      expect(broken.reason).toMatch(/unknown layer type "nope"/);
    }
    expect(id()).toBe('mH-Sg-mA-Sg');
    store().undo();
    expect(id()).toBe('mA-Sg-mA-Sg');
  });

  it('restores saved work without history, and refuses an invalid one untouched', () => {
    store().add('mamba');
    expect(store().restore(architectureFromLayers(['hyena', 'mlp']))).toEqual({ ok: true });
    expect(id()).toBe('H-M');
    expect(store().past).toHaveLength(0);
    expect(store().future).toHaveLength(0);
    expect(store().restore({ version: 1, dim: 128, layers: [] })).toEqual({ ok: false, reason: 'layers is empty: a model needs at least one layer' });
    expect(id()).toBe('H-M');
  });

  it('loads a preset by its file name', () => {
    expect(store().loadPreset('striped-hyena')).toEqual({ ok: true });
    expect(id()).toBe('mH-Sg-mA-Sg');
    expect(store().spec.name).toBe('Striped Hyena');
    expect(store().loadPreset('no-such-preset')).toEqual({ ok: false, reason: "there is no preset 'no-such-preset' in configs/presets" });
  });

  it('validates the counting vocabulary and length without touching the history', () => {
    expect(store().setCounting({ vocabSize: 8192, seqLen: 1024 })).toEqual({ ok: true });
    expect(store().counting).toEqual({ vocabSize: 8192, seqLen: 1024 });
    expect(store().setCounting({ seqLen: 0 }).ok).toBe(false);
    expect(store().setCounting({ vocabSize: 2.5 }).ok).toBe(false);
    expect(store().setCounting({ vocabSize: 2_147_483_648 })).toEqual({
      ok: false,
      reason: "Vocabulary size 2,147,483,648 is over the limit of 131,072 (16× MAD's largest vocabulary (8,192)): use a smaller vocabulary.",
    });
    expect(store().counting).toEqual({ vocabSize: 8192, seqLen: 1024 });
    expect(store().past).toHaveLength(0);
  });

  it('refuses a 65th layer, a width and a name over the size policy with its message, keeping the model', () => {
    store().restore(architectureFromLayers(new Array(64).fill('mlp')));
    expect(store().add('mlp')).toEqual({ ok: false, reason: "Number of layers 65 is over the limit of 64 (16× MAD's largest model (4)): use fewer layers" });
    expect(store().duplicate(0)).toEqual({ ok: false, reason: "Number of layers 65 is over the limit of 64 (16× MAD's largest model (4)): use fewer layers" });
    expect(store().spec.layers).toHaveLength(64);
    expect(store().setDim(4096)).toEqual({ ok: false, reason: "Model width 4,096 is over the limit of 2,048 (16× MAD's largest width (128)): use a narrower model" });
    expect(store().setDim(2048)).toEqual({ ok: true });
    expect(store().setName('n'.repeat(201))).toEqual({ ok: false, reason: 'Model name length 201 is over the limit of 200 (a name is a label): shorten the name.' });
    expect(store().setName(` ${'n'.repeat(200)} `)).toEqual({ ok: true });
    expect(store().spec.name).toHaveLength(200);
  });

  it('refuses to open or restore a model over the size policy, untouched', () => {
    const deep = { ...architectureFromLayers(['mlp']), layers: new Array(10_000).fill({ type: 'mlp' }) };
    expect(store().loadArchitecture(deep)).toEqual({ ok: false, reason: "Number of layers 10,000 is over the limit of 64 (16× MAD's largest model (4)): use fewer layers" });
    expect(store().restore({ ...deep, name: 'x'.repeat(300) })).toEqual({
      ok: false,
      reason: "Number of layers 10,000 is over the limit of 64 (16× MAD's largest model (4)): use fewer layers; Model name length 300 is over the limit of 200 (a name is a label): shorten the name",
    });
    expect(id()).toBe('mA-Sg-mA-Sg');
  });
});
