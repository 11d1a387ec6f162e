import { describe, expect, it } from 'vitest';
import { architectureFromLayers } from './architecture.ts';
import { countModel } from './counting.ts';
import { stepFlops, trainingMemory } from './estimates.ts';

const context = { vocabSize: 16, maxLength: 128 };

describe('training step estimates', () => {
  it('FLOPs of mA-Sg-mA-Sg at B=128, T=128: 6·N·tokens without the embedding, plus 12·T·d·tokens per attention layer', () => {
    const spec = architectureFromLayers(['mh-attention', 'swiglu', 'mh-attention', 'swiglu']);
    const flops = stepFlops(spec, countModel(spec, context), { batchSize: 128, seqLen: 128 });
    const tokens = 128 * 128;
    const nonEmbedding = 407_184 - 16 * 128; // spec §4.0 total minus the V×d embedding
    expect(flops.matmul).toBe(6 * nonEmbedding * tokens); // 39,826,489,344
    expect(flops.attention).toBe(2 * 12 * 128 * 128 * tokens); // 6,442,450,944
    expect(flops.total).toBe(flops.matmul + flops.attention);
  });

  it('sliding attention counts its window of 32 earlier keys plus the query, never more than T', () => {
    const spec = architectureFromLayers(['mh-sliding-attention']);
    const count = countModel(spec, context);
    expect(stepFlops(spec, count, { batchSize: 2, seqLen: 128 }).attention).toBe(12 * 33 * 128 * 2 * 128);
    expect(stepFlops(spec, count, { batchSize: 2, seqLen: 16 }).attention).toBe(12 * 16 * 128 * 2 * 16);
  });

  it('channel mixers and recurrent layers have no quadratic term', () => {
    const spec = architectureFromLayers(['mamba', 'swiglu']);
    const flops = stepFlops(spec, countModel(spec, context), { batchSize: 4, seqLen: 32 });
    expect(flops.attention).toBe(0);
    expect(flops.total).toBe(flops.matmul);
  });

  it('memory of an mlp model: weights, gradients and both AdamW moments, each tensor 256-byte aligned', () => {
    const spec = architectureFromLayers(['mlp', 'mlp']);
    const memory = trainingMemory(spec, { vocabSize: 16, maxLength: 8 }, { batchSize: 1, seqLen: 8 });
    // fc1 and fc2 of each mlp (512×128 floats), three RMSNorm weights of 128 (512 bytes each),
    // embedding and head weight 16×128, head bias 16 floats = 64 bytes, padded to 256.
    const parameterPool = 4 * 512 * 128 * 4 + 3 * 512 + 2 * 16 * 128 * 4 + 256;
    expect(memory.parameterBytes).toBe(4 * parameterPool); // 4,267,008
    expect(memory.totalBytes).toBe(memory.parameterBytes + memory.activationBytes + memory.metricBytes);
  });

  it('activation memory grows linearly with the batch and parameter memory does not', () => {
    const spec = architectureFromLayers(['mh-attention', 'swiglu']);
    const at = (batchSize: number) => trainingMemory(spec, context, { batchSize, seqLen: 16 });
    const [one, two, three] = [at(1), at(2), at(3)];
    expect(two.activationBytes - one.activationBytes).toBeGreaterThan(0);
    expect(three.activationBytes - two.activationBytes).toBe(two.activationBytes - one.activationBytes);
    expect(three.parameterBytes).toBe(one.parameterBytes);
  });

  it('a spec that cannot build throws the layer’s own reason', () => {
    const spec = { ...architectureFromLayers(['mh-attention']), dim: 24 };
    expect(() => trainingMemory(spec, context, { batchSize: 1, seqLen: 8 })).toThrow(/'n_heads' \(16\) must divide 'dim' \(24\)/);
  });
});
