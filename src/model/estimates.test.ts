import { describe, expect, it } from 'vitest';
import { architectureFromLayers } from './architecture.ts';
import { countModel } from './counting.ts';
import { stepFlops } from './estimates.ts';

const context = { vocabSize: 16, maxLength: 128 };

describe('training step estimates', () => {
  it('FLOPs of mA-Sg-mA-Sg at B=128, T=128: 6·N·tokens without the embedding, plus 12·T·d·tokens per attention layer', () => {
    const spec = architectureFromLayers(['mh-attention', 'swiglu', 'mh-attention', 'swiglu']);
    const flops = stepFlops(spec, countModel(spec, context), { batchSize: 128, seqLen: 128 });
    const tokens = 128 * 128;
    const nonEmbedding = 407_184 - 16 * 128; // docs/protocol.md §4.0 total minus the V×d embedding
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
});
