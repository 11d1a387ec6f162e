// The Builder's memory figure: the training program's pools traced at the step's shape.

import { describe, expect, it } from 'vitest';
import { architectureFromLayers } from '../model/architecture.ts';
import { trainingMemory } from './trainingMemory.ts';

const context = { vocabSize: 16, maxLength: 128 };

describe('training step memory', () => {
  it('memory of an mlp model: weights, gradients and both AdamW moments, each tensor 256-byte aligned', () => {
    const spec = architectureFromLayers(['mlp', 'mlp']);
    const memory = trainingMemory(spec, { vocabSize: 16, maxLength: 8 }, { batchSize: 1, seqLen: 8 }, 'cpu');
    // fc1 and fc2 of each mlp (512×128 floats), three RMSNorm weights of 128 (512 bytes each),
    // embedding and head weight 16×128, head bias 16 floats = 64 bytes, padded to 256.
    const parameterPool = 4 * 512 * 128 * 4 + 3 * 512 + 2 * 16 * 128 * 4 + 256;
    expect(memory.parameterBytes).toBe(4 * parameterPool); // 4,267,008
    expect(memory.totalBytes).toBe(memory.parameterBytes + memory.activationBytes + memory.metricBytes);
  });

  it('activation memory grows linearly with the batch and parameter memory does not', () => {
    const spec = architectureFromLayers(['mh-attention', 'swiglu']);
    const at = (batchSize: number) => trainingMemory(spec, context, { batchSize, seqLen: 16 }, 'cpu');
    const [one, two, three] = [at(1), at(2), at(3)];
    expect(two.activationBytes - one.activationBytes).toBeGreaterThan(0);
    expect(three.activationBytes - two.activationBytes).toBe(two.activationBytes - one.activationBytes);
    expect(three.parameterBytes).toBe(one.parameterBytes);
  });

  it('a spec that cannot build throws the layer’s own reason', () => {
    const spec = { ...architectureFromLayers(['mh-attention']), dim: 24 };
    expect(() => trainingMemory(spec, context, { batchSize: 1, seqLen: 8 }, 'cpu')).toThrow(/'n_heads' \(16\) must divide 'dim' \(24\)/);
  });
});
