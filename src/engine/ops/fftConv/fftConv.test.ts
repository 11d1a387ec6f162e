import { describe, expect, it } from 'vitest';
import { Graph } from '../../graph.ts';
import { itPassesKernelChecks } from '../../testing/expectChecks.ts';
import { gradcheck } from '../../testing/gradcheck.ts';
import { randomArray } from '../../testing/random.ts';
import { fftConvChecks } from './checks.ts';
import { FFT_CONV_ALL_SHADERS, fftConv, fftConvPlan, fftSize, fftSource, type FftConvVariant } from './fftConv.ts';
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
    for (const path of [...FFT_CONV_ALL_SHADERS.forward, ...FFT_CONV_ALL_SHADERS.backward, ...Object.values(MH_FFT_CONV_SHADERS)]) {
      const text = fftSource(path, 64);
      expect(text, path).toContain('const FFT_M: u32 = 64u;');
      expect(text, path).toContain('const LOG2_M: u32 = 6u;');
    }
    expect(() => fftSource('matmul/matmul_forward.wgsl', 64)).toThrow(/shaders\/matmul\/matmul_forward\.wgsl has no 'const FFT_M: u32 = …u;' line/);
  });

  it("runs the graph's target's kernels (workgroup FFTs on 'gpu', barrier-free private FFTs on 'cpu') unless a call names them", () => {
    const launches = (target: 'gpu' | 'cpu', variant?: FftConvVariant): { label: string; wg: number | undefined; groups: number }[] => {
      const g = new Graph(target);
      const [B, T, C] = [3, 100, 6];
      const u = g.input([B, T, C], 'f32', 'u');
      g.markTrainable(u);
      const y = fftConv(g, u, g.param([T, C], new Float32Array(T * C), 'k'), g.param([C], new Float32Array(C), 'D'), { variant });
      g.backward(y, g.input(y.shape, 'f32', 'dy'));
      return g.launches.filter((l) => l.label.startsWith('fft')).map((l) => ({ label: l.label, wg: l.constants.WG, groups: l.workgroups[0] }));
    };
    // M = 256: a workgroup of M/2 invocations per FFT, or one invocation per FFT in workgroups of 64.
    // FFTs: 6 filter spectra, 9 (b, channel pair)s forward and backward, 6 (cf, part)s, 6 cf.
    const family = (variant: FftConvVariant) => {
      const wg = variant === 'workgroup' ? 128 : 64;
      const groups = (ffts: number) => (variant === 'workgroup' ? ffts : 1);
      return [
        { label: `fft filter spectrum (${variant})`, wg, groups: groups(6) },
        { label: `fft conv forward (${variant})`, wg, groups: groups(9) },
        { label: `fft conv backward input (${variant})`, wg, groups: groups(9) },
        { label: `fft conv backward filter partials (${variant})`, wg, groups: groups(6) },
        { label: `fft conv backward filter final (${variant})`, wg, groups: groups(6) },
      ];
    };
    expect(launches('gpu')).toEqual(family('workgroup'));
    expect(launches('cpu')).toEqual(family('private'));
    expect(launches('gpu', 'private')).toEqual(family('private'));
    expect(launches('cpu', 'workgroup')).toEqual(family('workgroup'));
  });

  itPassesKernelChecks(fftConvChecks);
});
