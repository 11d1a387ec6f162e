import { describe, expect, it } from 'vitest';
import { Graph } from '../../graph.ts';
import { itPassesKernelChecks } from '../../testing/expectChecks.ts';
import { gradcheck } from '../../testing/gradcheck.ts';
import { randomArray } from '../../testing/random.ts';
import { attentionChecks } from './checks.ts';
import { attentionTiling, flashAttention } from './flashAttention.ts';
import { attentionBackwardReference, attentionForwardReference, type AttentionShape } from './reference.ts';

describe('flash attention', () => {
  const shapes: AttentionShape[] = [
    { batch: 2, time: 5, heads: 2, headDim: 4, window: null, base: 10000 },
    { batch: 1, time: 6, heads: 3, headDim: 6, window: 2, base: 10000 },
  ];
  for (const s of shapes) {
    it(`reference backward (dq, dk, dv) matches finite differences: T=${s.time} H=${s.heads} d=${s.headDim} window ${s.window}`, () => {
      const qkv = randomArray(s.batch * s.time * 3 * s.heads * s.headDim, 3, -1.5, 1.5);
      const dout = randomArray(s.batch * s.time * s.heads * s.headDim, 4);
      const analytic = attentionBackwardReference(qkv, dout, s);
      const result = gradcheck((xs) => attentionForwardReference(xs[0]!, s).output, [qkv], dout, [analytic], [0]);
      expect(result.maxAbsDiff).toBeLessThan(1e-7);
    });
  }

  it('reference follows docs/protocol.md: causal, window, position 0 unrotated', () => {
    // One head of 2, T = 3, window 1: query 2 sees keys 1, 2 only; query 0 sees key 0 only (O_0 = v_0).
    const s: AttentionShape = { batch: 1, time: 3, heads: 1, headDim: 2, window: 1, base: 10000 };
    const qkv = Float64Array.from([0, 0, 0, 0, 5, 7, /* t=1 */ 0, 0, 0, 0, 1, 1, /* t=2 */ 0, 0, 0, 0, 3, -1]);
    const { output, lse } = attentionForwardReference(qkv, s);
    expect(Array.from(output)).toEqual([5, 7, 3, 4, 2, 0]); // zero scores: uniform over visible keys
    expect(lse[2]).toBeCloseTo(Math.log(2), 12);
  });

  it('refuses bad shapes and options', async () => {
    const g = new Graph('cpu');
    const qkv = g.input([1, 4, 48], 'f32', 'qkv');
    expect(() => flashAttention(g, qkv, { heads: 2, headDim: 4 })).toThrow(/expected qkv/);
    expect(() => flashAttention(g, qkv, { heads: 2, headDim: 8, window: -1 })).toThrow(/window/);
    expect(() => flashAttention(g, g.input([1, 4, 9], 'f32', 'odd'), { heads: 1, headDim: 3 })).toThrow(/even/);
    expect(() => flashAttention(g, g.input([1, 4, 768], 'f32', 'wide'), { heads: 1, headDim: 256 })).toThrow(/≤ 128/);
    expect(flashAttention(g, qkv, { heads: 2, headDim: 8 }).shape).toEqual([1, 4, 16]);
  });

  it('tiling: several heads per workgroup for small heads, tiles within 16 KiB of workgroup memory', () => {
    expect(attentionTiling(16, 8)).toEqual({ hg: 4, rows: 16, kvTile: 32, queryTile: 32 }); // mh-attention
    expect(attentionTiling(1, 128)).toEqual({ hg: 1, rows: 64, kvTile: 16, queryTile: 15 }); // attention
    for (const [h, d] of [[16, 8], [1, 128], [3, 8], [4, 6], [2, 64], [1, 2]] as const) {
      const t = attentionTiling(h, d);
      expect(h % t.hg).toBe(0);
      expect(2 * t.kvTile * t.hg * d * 4).toBeLessThanOrEqual(16384); // k and v tiles
      expect(t.queryTile * t.hg * (2 * d + 2) * 4).toBeLessThanOrEqual(16384); // q, dO, lse, Δ tiles
    }
  });

  it("default kernel family: the graph's target's (tiles on 'gpu', rows on 'cpu'); a variant option overrides it", () => {
    const kernels = (target: 'gpu' | 'cpu', variant?: 'tiled' | 'rows'): string[] => {
      const g = new Graph(target);
      flashAttention(g, g.input([1, 4, 48], 'f32', 'qkv'), { heads: 2, headDim: 8, variant });
      return g.launches.map((l) => `${l.source}\n${l.entryPoint}${JSON.stringify(l.constants)}`);
    };
    expect(kernels('gpu')).toEqual(kernels('gpu', 'tiled'));
    expect(kernels('cpu')).toEqual(kernels('cpu', 'rows'));
    expect(kernels('gpu')).not.toEqual(kernels('cpu'));
    expect(kernels('gpu', 'rows')).toEqual(kernels('cpu'));
  });

  itPassesKernelChecks(attentionChecks);
});
