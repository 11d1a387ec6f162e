import { describe, expect, it } from 'vitest';
import { LAYERS } from '../layers/registry.ts';
import { buildTrainingProgram } from '../train/trainingProgram.ts';
import { architectureFromLayers } from './architecture.ts';
import { countModel } from './counting.ts';

/** Spec §4.0, whole models at V = 16, L = 128 (d = 128, RMSNorm, LanguageModel). */
const WHOLE_MODEL_EXAMPLES: { id: string; layers: string[]; total: number }[] = [
  { id: 'mA-Sg-mA-Sg', layers: ['mh-attention', 'swiglu', 'mh-attention', 'swiglu'], total: 407_184 },
  { id: 'H-Sg-H-Sg', layers: ['hyena', 'swiglu', 'hyena', 'swiglu'], total: 523_784 },
  { id: 'mH-Sg-mH-Sg', layers: ['mh-hyena', 'swiglu', 'mh-hyena', 'swiglu'], total: 336_812 },
  { id: 'Mb-Mb-Mb-Mb', layers: ['mamba', 'mamba', 'mamba', 'mamba'], total: 433_808 },
  { id: 'mH-Sg-mA-Sg', layers: ['mh-hyena', 'swiglu', 'mh-attention', 'swiglu'], total: 371_998 },
  { id: 'mH-MoE-mA-MoE', layers: ['mh-hyena', 'moe-mlp', 'mh-attention', 'moe-mlp'], total: 431_662 },
  { id: 'mAlg-Sg-mAlg-Sg', layers: ['mh-gated-linear-attention', 'swiglu', 'mh-gated-linear-attention', 'swiglu'], total: 447_408 },
];

const registered = (name: string): boolean => LAYERS.some((l) => l.name === name);

describe('model counting', () => {
  // Every example runs as soon as its layers are registered; until then it only reports which
  // layers it waits for. A registered model with the wrong count fails.
  for (const example of WHOLE_MODEL_EXAMPLES) {
    it(`${example.id}: ${example.total.toLocaleString('en-US')} parameters at V=16, L=128 (docs/protocol.md §4.0)`, () => {
      const missing = [...new Set(example.layers.filter((l) => !registered(l)))];
      if (missing.length > 0) {
        console.log(`${example.id}: not exercised, waiting for layers ${missing.join(', ')}`);
        return;
      }
      const count = countModel(architectureFromLayers(example.layers), { vocabSize: 16, maxLength: 128 });
      console.log(`${example.id}: exercised, ${count.total} parameters`);
      expect(count.id).toBe(example.id);
      expect(count.total).toBe(example.total);
    });
  }

  it('mlp-only LanguageModel: embedding + norms + head arithmetic by hand', () => {
    const V = 16;
    const d = 128;
    const mlp = 2 * d * 4 * d; // fc1 [4d, d] + fc2 [d, 4d], no biases
    const rms = countModel(architectureFromLayers(['mlp', 'mlp']), { vocabSize: V, maxLength: 128 });
    expect(rms.layers.map((l) => l.parameters)).toEqual([mlp, mlp]);
    expect(rms.embedding).toBe(V * d); // 2,048
    expect(rms.norms).toBe(3 * d); // two pre-norms + the final norm, RMSNorm weight only: 384
    expect(rms.head).toBe(d * V + V); // Linear(128→16) with bias: 2,064
    expect(rms.total).toBe(2 * 131_072 + 2_048 + 384 + 2_064); // 266,640
    expect(rms.id).toBe('M-M');
    expect(rms.backbone).toBe('language-model');
    expect(rms.stateTotal).toBe(0);

    const ln = countModel(architectureFromLayers(['mlp', 'mlp'], { norm: 'layer' }), { vocabSize: V, maxLength: 128 });
    expect(ln.norms).toBe(3 * 2 * d); // LayerNorm: weight and bias
    expect(ln.total).toBe(rms.total + 3 * d);

    // The count does not depend on the sequence length for mlp, and V enters embedding and head only.
    const big = countModel(architectureFromLayers(['mlp', 'mlp']), { vocabSize: 8192, maxLength: 1024 });
    expect(big.total - rms.total).toBe((8192 - V) * d * 2 + (8192 - V));
  });

  it('mlp-only AutoEncoder: decoder of three Linears with bias and three norms', () => {
    const V = 16;
    const d = 128;
    const count = countModel(architectureFromLayers(['mlp', 'mlp']), { vocabSize: V, maxLength: 32, task: 'compression' });
    expect(count.backbone).toBe('autoencoder');
    expect(count.embedding).toBe(V * d);
    expect(count.norms).toBe(2 * d + 3 * d); // two pre-norms (no final norm: pooling has none) + three decoder norms
    expect(count.head).toBe(2 * (d * d + d) + (d * V + V)); // 35,088
    expect(count.total).toBe(2 * 131_072 + 2_048 + 640 + 35_088); // 299,920
  });

  it('per-layer counts add up to the total and match the layer registry test', () => {
    const count = countModel(architectureFromLayers(['mlp']), { vocabSize: 5, maxLength: 7 });
    const sum = count.layers.reduce((n, l) => n + l.parameters, 0) + count.embedding + count.norms + count.head;
    expect(sum).toBe(count.total);
    expect(count.layers[0]).toEqual({ index: 0, type: 'mlp', shorthand: 'M', parameters: 131_072, stateSize: 0 });
  });

  it('the training program built from a spec trains exactly the counted parameters', () => {
    for (const task of ['memorization', 'compression'] as const) {
      const architecture = architectureFromLayers(['mlp', 'mlp'], { dim: 16 });
      const program = buildTrainingProgram({ architecture, target: 'cpu', vocabSize: 9, task, batchSize: 2, seqLen: 6, weightDecay: 0, seed: 1 });
      const count = countModel(architecture, { vocabSize: 9, maxLength: 6, task });
      expect(program.backbone).toBe(count.backbone);
      expect(program.parameterCount).toBe(count.total);
    }
  });

  it('refuses an invalid architecture with its problems', () => {
    expect(() => countModel(architectureFromLayers([]), { vocabSize: 16, maxLength: 128 })).toThrow(/layers is empty/);
    expect(() => countModel(architectureFromLayers(['transformer']), { vocabSize: 16, maxLength: 128 })).toThrow(
      /layers\[0\]: unknown layer type "transformer"/,
    );
  });
});

describe('countModel at the size policy caps', () => {
  it('traces a 131,072-token vocabulary at d = 2,048 without drawing its 2 GiB of weights', () => {
    const before = process.memoryUsage().arrayBuffers;
    const count = countModel(architectureFromLayers(['mlp', 'mlp'], { dim: 2048 }), { vocabSize: 131_072, maxLength: 128 });
    const grown = process.memoryUsage().arrayBuffers - before;
    expect(count.embedding).toBe(131_072 * 2048);
    expect(count.head).toBe(131_072 * 2048 + 131_072);
    expect(grown).toBeLessThan(16 * 2 ** 20);
  });
});
