import { describe, expect, it, vi } from 'vitest';
import { SIZE_LIMITS } from '../config/sizePolicy.ts';
import { Graph, MAX_ACTIVATION_LABEL } from '../engine/graph.ts';
import { normLayout } from '../engine/ops/normShared.ts';
import {
  ARCHITECTURE_VERSION,
  architectureFromLayers,
  checkArchitecture,
  MAX_DIM,
  modelId,
  problemConfigKeys,
  problemSentence,
  resolveArchitecture,
  resolveBackbone,
  validateArchitecture,
  type ArchitectureSpec,
} from './architecture.ts';
import { buildModel } from './build.ts';
import { countModel } from './counting.ts';
import { stepFlops } from './estimates.ts';
import { mlpLayer } from '../layers/mlp.ts';
import { ParamFactory } from '../engine/params.ts';

const valid: ArchitectureSpec = {
  version: ARCHITECTURE_VERSION,
  name: 'two mlps',
  dim: 16,
  layers: [{ type: 'mlp' }, { type: 'mlp', config: { dim_inner: 24 } }],
  backbone: 'auto',
  norm: 'rms',
  init: 'paper',
};

describe('ArchitectureSpec', () => {
  it('accepts a valid spec and survives a JSON round trip', () => {
    expect(validateArchitecture(valid)).toEqual([]);
    expect(validateArchitecture(JSON.parse(JSON.stringify(valid)))).toEqual([]);
    expect(validateArchitecture({ version: 1, dim: 128, layers: [{ type: 'mlp' }] })).toEqual([]);
  });

  it('lists every problem, naming the field, the layer and the key', () => {
    expect(validateArchitecture(null)).toEqual(['an architecture must be an object, got null']);
    const problems = validateArchitecture({
      version: 2,
      dim: 0,
      layers: [{ type: 'transformer' }, { type: 'mlp', config: { dim_innr: 3 } }, { type: 'mlp', config: { dim_inner: -1 } }, 'mlp'],
      backbone: 'encoder',
      norm: 'batch',
      init: 'xavier',
      colour: 'red',
    });
    expect(problems).toEqual([
      "unknown field 'colour' (known: version, name, dim, layers, backbone, norm, init)",
      'version must be 1, got 2',
      'dim must be an integer in 1…2048, got 0',
      'backbone must be one of auto, language-model, autoencoder, got "encoder"',
      'norm must be one of rms, layer, got "batch"',
      'init must be one of paper, current, got "xavier"',
      expect.stringMatching(/^layers\[0\]: unknown layer type "transformer" \(known: .*mlp.*\)$/),
      expect.stringMatching(/^layers\[1\]: mlp: unknown config key 'dim_innr'/),
      expect.stringMatching(/^layers\[2\]: mlp: 'dim_inner' must be an integer ≥ 1, got -1/),
      'layers[3]: a layer must be an object { type, config? }, got "mlp"',
    ]);
    expect(validateArchitecture({ version: 1, dim: 8, layers: [] })).toEqual(['layers is empty: a model needs at least one layer']);
    expect(validateArchitecture({ version: 1, dim: 8.5, layers: 'mlp' })).toEqual([
      'dim must be an integer in 1…2048, got 8.5',
      'layers must be a list of { type, config? }, got "mlp"',
    ]);
    expect(validateArchitecture({ version: 1, dim: 8, layers: [{ type: 'mlp', config: [1] }] })).toEqual([
      'layers[0]: mlp: config must be an object of overrides, got [1]',
    ]);
    expect(validateArchitecture({ version: 1, dim: 8, layers: [{ type: 'mlp', config: { dim: 16 } }] })).toEqual([
      "layers[0]: mlp: 'dim' 16 differs from the model's dim 8 (every layer maps d → d)",
    ]);
    expect(validateArchitecture({ version: 1, dim: 7, layers: [{ type: 'mlp' }], backbone: 'autoencoder' })).toEqual([
      "the autoencoder's sinusoidal table needs an even dim ≥ 4, got 7",
    ]);
    expect(() => resolveArchitecture({ version: 1, dim: 8, layers: [] })).toThrow(/^invalid architecture: layers is empty/);
  });

  it("takes its width cap from the size policy, within the rows the norm kernels hold", () => {
    expect(MAX_DIM).toBe(SIZE_LIMITS.dim.limit);
    expect(() => normLayout('rmsnorm', MAX_DIM)).not.toThrow();
    expect(validateArchitecture(architectureFromLayers(['mlp'], { dim: MAX_DIM }))).toEqual([]);
    // Once accepted here and refused by rmsnorm at run time; now refused here, once, by the policy.
    expect(validateArchitecture(architectureFromLayers(['mlp'], { dim: 4096 }))).toEqual([
      "Model width 4,096 is over the limit of 2,048 (16× MAD's largest width (128)): use a narrower model",
    ]);
  });

  it('names the layer count and name length first, without walking a stack over the layer cap', () => {
    let walked = 0;
    const layer = {
      get type() {
        walked++;
        return 'mlp';
      },
    };
    const huge = { version: 1, dim: 16, name: 'n'.repeat(SIZE_LIMITS.nameLength.limit + 1), layers: new Array(10_000).fill(layer), colour: 'red' };
    const problems = validateArchitecture(huge);
    expect(problems.slice(0, 2)).toEqual([
      "Number of layers 10,000 is over the limit of 64 (16× MAD's largest model (4)): use fewer layers",
      'Model name length 201 is over the limit of 200 (a name is a label): shorten the name',
    ]);
    expect(problems).toContain("unknown field 'colour' (known: version, name, dim, layers, backbone, norm, init)");
    expect(walked).toBe(0);
    // At the cap, every layer is still checked.
    const atCap = { version: 1, dim: 16, layers: new Array(SIZE_LIMITS.layers.limit).fill(layer) };
    expect(validateArchitecture(atCap)).toEqual([]);
    expect(walked).toBeGreaterThanOrEqual(SIZE_LIMITS.layers.limit);
  });

  it('gives each problem as data: where it sits, the key, and the words without the place', () => {
    const check = checkArchitecture({
      version: 1,
      dim: 24,
      layers: [{ type: 'mlp' }, { type: 'mh-attention' }, { type: 'hyena', config: { long_conv_cfg: { bias: false, filter_cls: 'implicit', filter_cfg: { order: 4 } } } }, { type: 'mlp', colour: 1 }],
      norm: 'batch',
    });
    if (check.ok) throw new Error('expected problems');
    expect(check.problems).toEqual([
      { path: [], key: 'norm', message: 'norm must be one of rms, layer, got "batch"' },
      { path: ['layers', 1, 'config'], key: 'n_heads', layerType: 'mh-attention', message: "'n_heads' (16) must divide 'dim' (24)" },
      { path: ['layers', 2, 'config', 'long_conv_cfg'], key: 'bias', layerType: 'hyena', message: "long_conv_cfg: 'bias' must be true" },
      { path: ['layers', 3], key: 'colour', message: "unknown field 'colour' (known: type, config)" },
    ]);
    expect(check.problems.map((p) => problemConfigKeys(p))).toEqual([null, ['n_heads'], ['long_conv_cfg', 'bias'], null]);
    // The sentences are the ones validateArchitecture gives; a caller may name the blocks its own way.
    expect(problemSentence(check.problems[1]!)).toBe("layers[1]: mh-attention: 'n_heads' (16) must divide 'dim' (24)");
    expect(problemSentence(check.problems[1]!, (i) => `block ${i + 1}`)).toBe("block 2: mh-attention: 'n_heads' (16) must divide 'dim' (24)");
    expect(problemSentence(check.problems[0]!, (i) => `block ${i + 1}`)).toBe('norm must be one of rms, layer, got "batch"');
  });

  it("takes each layer's refused key from its ConfigError, nested mappings included", () => {
    const keysOf = (type: string, config: Record<string, unknown>) => {
      const check = checkArchitecture({ version: 1, dim: 128, layers: [{ type, config }] });
      return check.ok ? [] : check.problems.map((p) => problemConfigKeys(p));
    };
    expect(keysOf('mamba', { d_state: 32 })).toEqual([['d_state']]);
    expect(keysOf('mamba', { dt_min: 0.5, dt_max: 0.1 })).toEqual([['dt_min']]);
    expect(keysOf('moe-mlp', { active_experts: 9 })).toEqual([['active_experts']]);
    expect(keysOf('mlp', { drop_rate: 0.5 })).toEqual([['drop_rate']]);
    expect(keysOf('mh-attention', { window_size: [2] })).toEqual([['window_size']]);
    expect(keysOf('mh-gated-linear-attention', { num_heads: 3 })).toEqual([['num_heads']]);
    expect(keysOf('hyena-experts', { long_conv_cfg: { bias: true, filter_cls: 'implicit', filter_cfg: { order: 4 }, num_heads: 2 } })).toEqual([['long_conv_cfg', 'num_heads']]);
    expect(keysOf('hyena', { long_conv_cfg: { bias: true, filter_cls: 'implicit', filter_cfg: { ordr: 4 } } })).toEqual([['long_conv_cfg', 'filter_cfg', 'ordr']]);
  });

  it("folds in the size policy's problems with their records, and names the empty stack by its key", () => {
    const check = checkArchitecture({ version: 1, dim: 4096, layers: [] });
    if (check.ok) throw new Error('expected problems');
    expect(check.problems.map(({ path, key, size }) => ({ path, key, limit: size?.limit }))).toEqual([
      { path: [], key: 'dim', limit: SIZE_LIMITS.dim.limit },
      { path: [], key: 'layers', limit: undefined },
    ]);
  });

  it('resolves a valid spec once: counting and estimates of the resolved architecture validate nothing again', () => {
    const validate = vi.spyOn(mlpLayer, 'validate');
    try {
      const check = checkArchitecture(valid);
      if (!check.ok) throw new Error('expected a valid spec');
      expect(check.resolved.spec).toBe(valid);
      expect(validate).toHaveBeenCalledTimes(2);
      expect(resolveArchitecture(check.resolved)).toBe(check.resolved);
      const shape = { batchSize: 2, seqLen: 8 };
      stepFlops(check.resolved, countModel(check.resolved, { vocabSize: 5, maxLength: 8 }), shape);
      expect(validate).toHaveBeenCalledTimes(2);
      // A plain spec is checked where it is used.
      countModel(valid, { vocabSize: 5, maxLength: 8 });
      expect(validate).toHaveBeenCalledTimes(4);
    } finally {
      validate.mockRestore();
    }
  });

  it("resolves each layer's config: yml defaults, then the model's dim, then the overrides", () => {
    const [first, second] = resolveArchitecture(valid).layers;
    expect(first!.definition.name).toBe('mlp');
    expect(first!.config).toEqual({ dim: 16, dim_inner: null, drop_rate: 0, bias: false });
    expect(second!.config).toEqual({ dim: 16, dim_inner: 24, drop_rate: 0, bias: false });
  });

  it("names a model by mad-lab's shorthands joined by '-'", () => {
    expect(modelId(valid)).toBe('M-M');
    expect(modelId(architectureFromLayers(['mlp', 'mlp', 'mlp']))).toBe('M-M-M');
  });

  it("picks the AutoEncoder for compression under 'auto' and the LanguageModel otherwise", () => {
    expect(resolveBackbone({}, 'compression')).toBe('autoencoder');
    expect(resolveBackbone({ backbone: 'auto' }, 'compression')).toBe('autoencoder');
    expect(resolveBackbone({}, 'in-context-recall')).toBe('language-model');
    expect(resolveBackbone({})).toBe('language-model');
    expect(resolveBackbone({ backbone: 'language-model' }, 'compression')).toBe('language-model');
    expect(resolveBackbone({ backbone: 'autoencoder' }, 'memorization')).toBe('autoencoder');

    for (const [task, backbone, shape] of [
      ['compression', 'autoencoder', [2, 6, 5]],
      ['memorization', 'language-model', [2, 6, 5]],
    ] as const) {
      const g = new Graph('cpu');
      const ids = g.input([2, 6], 'i32', 'ids');
      const built = buildModel(g, new ParamFactory(g, 1), ids, valid, { vocabSize: 5, maxLength: 6, task });
      expect(built.backbone).toBe(backbone);
      expect(built.logits.shape).toEqual(shape);
      expect(g.params.some((p) => p.label.startsWith('decoder.'))).toBe(backbone === 'autoencoder');
    }
  });

  it('keeps tensor and launch labels short in deep residual stacks', () => {
    // Every residual add names its output after both inputs; uncut, a 24-layer model's labels
    // would run to 2^24 characters.
    const g = new Graph('cpu');
    const ids = g.input([1, 4], 'i32', 'ids');
    const deep = architectureFromLayers(Array.from({ length: 24 }, (_, i) => (i % 2 === 0 ? 'mh-attention' : 'swiglu')), { dim: 16 });
    buildModel(g, new ParamFactory(g, 1), ids, { ...deep, layers: deep.layers.map((l) => (l.type === 'mh-attention' ? { ...l, config: { n_heads: 2, rotary_emb_dim: 8 } } : l)) }, { vocabSize: 5, maxLength: 4 });
    const longest = Math.max(...g.launches.map((l) => l.label.length));
    console.log(`24-layer model: ${g.launches.length} launches, longest launch label ${longest} characters`);
    expect(longest).toBeLessThanOrEqual(3 * MAX_ACTIVATION_LABEL);
  });
});

