import { describe, expect, it } from 'vitest';
import { itPassesKernelChecks } from '../../testing/expectChecks.ts';
import { gradcheck } from '../../testing/gradcheck.ts';
import { randomArray } from '../../testing/random.ts';
import { fftConvChecks } from './checks.ts';
import { FFT_CONV_SHADERS, fftConvPlan, fftSize, fftSource } from './fftConv.ts';
import { MH_FFT_CONV_SHADERS } from './mhFftConv.ts';
import { fftConvBackwardReference, fftConvForwardReference } from './reference.ts';

describe('fftConv', () => {
  it('reference backward matches finite differences (du, dk, dD; shared filters)', () => {
    const s = { B: 2, T: 6, C: 4, CF: 2 };
    const u = randomArray(s.B * s.T * s.C, 1);
    const k = randomArray(s.T * s.CF, 2);
    const d = randomArray(s.CF, 3);
    const dy = randomArray(s.B * s.T * s.C, 4);
    const ref = fftConvBackwardReference(s, u, k, d, dy);
    const r = gradcheck((xs) => fftConvForwardReference(s, xs[0]!, xs[1]!, xs[2]!), [u, k, d], dy, [ref.du, ref.dk, ref.dd], [0, 1, 2]);
    expect(r.maxAbsDiff).toBeLessThan(1e-7);
  });

  it('plans M = nextPow2(2T) and partial sums that cover every sequence', () => {
    expect([1, 2, 5, 64, 100, 2048].map(fftSize)).toEqual([2, 4, 16, 128, 256, 4096]);
    for (const [B, C, CF] of [
      [128, 512, 512],
      [128, 2048, 8],
      [3, 4, 1],
    ] as const) {
      const p = fftConvPlan(B, 128, C, CF);
      expect(p.P * p.S).toBeGreaterThanOrEqual(B * p.R);
      expect((p.P - 1) * p.S).toBeLessThan(B * p.R);
    }
  });

  it('sets the FFT size in every FFT shader, and refuses a shader without the size lines', () => {
    for (const path of [...Object.values(FFT_CONV_SHADERS), ...Object.values(MH_FFT_CONV_SHADERS)]) {
      const text = fftSource(path, 64);
      expect(text, path).toContain('const FFT_M: u32 = 64u;');
      expect(text, path).toContain('const LOG2_M: u32 = 6u;');
    }
    expect(() => fftSource('matmul/matmul_forward.wgsl', 64)).toThrow(/shaders\/matmul\/matmul_forward\.wgsl has no 'const FFT_M: u32 = …u;' line/);
  });

  itPassesKernelChecks(fftConvChecks);
});
