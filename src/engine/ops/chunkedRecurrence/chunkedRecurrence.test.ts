import { describe, expect, it } from 'vitest';
import { Graph } from '../../graph.ts';
import { itPassesKernelChecks } from '../../testing/expectChecks.ts';
import { gradcheck } from '../../testing/gradcheck.ts';
import { randomArray } from '../../testing/random.ts';
import { chunkedRecurrenceChecks } from './checks.ts';
import { chunkedRecurrence, type RecurrenceMode, type RecurrenceVariant } from './chunkedRecurrence.ts';
import { recurrenceBackwardReference, recurrenceForwardReference } from './reference.ts';

describe('chunked linear recurrence', () => {
  for (const mode of ['gla', 'rwkv'] as RecurrenceMode[]) {
    it(`${mode}: reference backward matches finite differences (q, k, v, log decay, u)`, () => {
      const dims = { B: 2, T: 5, H: 2, dk: 3, dv: 2 };
      const nk = 2 * 5 * 2 * 3;
      const nv = 2 * 5 * 2 * 2;
      const xs = [randomArray(nk, 1), randomArray(nk, 2), randomArray(nv, 3), randomArray(nk, 4, -1, -0.05), randomArray(6, 5)];
      const dout = randomArray(nv, 6);
      const scale = 0.7;
      const pack = (a: Float64Array[]) => ({ q: a[0]!, k: a[1]!, v: a[2]!, lw: a[3]!, u: a[4]! });
      const r = recurrenceBackwardReference(mode, dims, pack(xs), dout, scale);
      const wrt = mode === 'rwkv' ? [0, 1, 2, 3, 4] : [0, 1, 2, 3];
      const analytic = [r.dq, r.dk, r.dv, r.dlw, r.du].slice(0, wrt.length);
      const result = gradcheck((a) => recurrenceForwardReference(mode, dims, pack(a), scale), xs, dout, analytic, wrt);
      expect(result.maxAbsDiff).toBeLessThan(1e-7);
    });
  }

  it("runs the graph's target's kernels (chunks on 'gpu', barrier-free rows on 'cpu') unless a call names them", () => {
    const labels = (target: 'gpu' | 'cpu', mode: RecurrenceMode, variant?: RecurrenceVariant): string[] => {
      const g = new Graph(target);
      const [B, T, H, dk, dv] = [2, 20, 3, 4, 5];
      const x = (shape: number[], label: string) => {
        const t = g.input(shape, 'f32', label);
        g.markTrainable(t);
        return t;
      };
      const key = () => x([B, T, H, dk], 'key');
      const u = mode === 'rwkv' ? x([H, dk], 'u') : undefined;
      const o = chunkedRecurrence(g, { mode, q: key(), k: key(), v: x([B, T, H, dv], 'v'), logDecay: key(), u, variant });
      g.backward(o, g.input(o.shape, 'f32', 'do'));
      return g.launches.map((l) => l.label).filter((l) => l.includes('recurrence'));
    };
    const chunks = ['gla recurrence states', 'gla recurrence forward', 'gla recurrence dstates', 'gla recurrence backward', 'gla recurrence scatter'];
    const rows = ['gla recurrence forward (rows)', 'gla recurrence backward (rows)', 'gla recurrence scatter'];
    expect(labels('gpu', 'gla')).toEqual(chunks);
    expect(labels('cpu', 'gla')).toEqual(rows);
    expect(labels('gpu', 'gla', 'rows')).toEqual(rows);
    expect(labels('cpu', 'gla', 'chunks')).toEqual(chunks);
    expect(labels('cpu', 'rwkv')).toEqual(['rwkv recurrence forward (rows)', 'rwkv recurrence backward (rows)', 'rwkv recurrence scatter', 'rwkv recurrence du']);
  });

  itPassesKernelChecks(chunkedRecurrenceChecks);
});
