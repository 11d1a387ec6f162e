// Hyena's long causal convolution ("fftconv", docs/protocol.md §4.3, docs/kernels.md "Long causal convolution"):
//   y[b,t,c] = Σ_{s≤t} k[s, c/R]·u[b,t−s,c] + D[c/R]·u[b,t,c]
// u: [..., T, C] (channels last, like every layer tensor; leading axes are the batch);
// k: [T, CF] — the implicit filter in its natural [time, channel] layout; D: [CF]; C = CF·R:
// R consecutive channels share one filter and one skip weight (R = 1 for hyena; mh-hyena's
// 16×16 outer products per group use R = 256).
// Computed with radix-2 FFTs of M = nextPow2(2T) points (T ≤ 2048, M ≤ 4096 → 32 KiB), in
// workgroup memory or, on CPU adapters, one per invocation in private memory, zero-padded so the
// circular product is exactly causal; any T works. Two channels share each complex FFT
// (separated by Hermitian symmetry), so B·⌈C/2⌉ FFTs run forward.
// Backward (docs/kernels.md): du = IFFT(FFT(dy)·conj(FFT(k))) + D·dy; dk = Σ_{b,r} IFFT(FFT(dy)·conj(FFT(u)));
// dD = Σ dy·u — the filter/skip sums over the batch go through fixed-order partial sums (no atomics).
// Two kernel families of the same math (FftConvVariant) share the spectra's order, the channel
// packing and the partial-sum layout.

import type { KernelTarget } from '../../../config/kernelTarget.ts';
import { bind, type Graph } from '../../graph.ts';
import { grid1d } from '../../launch.ts';
import { shaderSource } from '../../shaderSource.ts';
import type { Tensor } from '../../tensor.ts';
import { packUniform } from '../../uniform.ts';

/**
 * 'workgroup': one workgroup per FFT, its M/2 butterflies shared by up to 256 invocations in
 * workgroup memory behind a barrier per stage: GPUs.
 * 'private': barrier-free, one invocation per FFT (per (b, channel pair), per filter-gradient part,
 * per filter channel) in a private array, 64 invocations a workgroup: CPU adapters, which run
 * workgroups as coroutines where each barrier switches every invocation.
 */
export const FFT_CONV_VARIANTS = ['workgroup', 'private'] as const;
export type FftConvVariant = (typeof FFT_CONV_VARIANTS)[number];

export function fftConvVariantFor(target: KernelTarget): FftConvVariant {
  return target === 'gpu' ? 'workgroup' : 'private';
}

export const FFT_CONV_SHADERS = {
  workgroup: {
    spectrum: 'conv/fft_filter_spectrum.wgsl',
    forward: 'conv/fft_conv_forward.wgsl',
    backwardInput: 'conv/fft_conv_backward.wgsl',
    backwardFilter: 'conv/fft_conv_backward_filter.wgsl',
    backwardFilterFinal: 'conv/fft_conv_backward_filter_final.wgsl',
  },
  private: {
    // Measured on lavapipe at B = 8, T = 128, C = 512: the workgroup spectrum took ~19 of the
    // forward's 84 ms, the private one ~1.
    spectrum: 'conv/fft_private_filter_spectrum.wgsl',
    forward: 'conv/fft_private_conv_forward.wgsl',
    backwardInput: 'conv/fft_private_conv_backward.wgsl',
    backwardFilter: 'conv/fft_private_conv_backward_filter.wgsl',
    backwardFilterFinal: 'conv/fft_private_conv_backward_filter_final.wgsl',
  },
} as const satisfies Record<FftConvVariant, Record<'spectrum' | 'forward' | 'backwardInput' | 'backwardFilter' | 'backwardFilterFinal', string>>;

/** Every shader of both variants, by pass (for the op registry, which compiles and checks them all). */
export const FFT_CONV_ALL_SHADERS = {
  forward: FFT_CONV_VARIANTS.flatMap((v) => [FFT_CONV_SHADERS[v].spectrum, FFT_CONV_SHADERS[v].forward]),
  backward: FFT_CONV_VARIANTS.flatMap((v) => [FFT_CONV_SHADERS[v].backwardInput, FFT_CONV_SHADERS[v].backwardFilter, FFT_CONV_SHADERS[v].backwardFilterFinal]),
} as const;

/** Invocations per workgroup of the 'private' kernels (one FFT each). */
const PRIVATE_WG = 64;

/** Longest sequence: M = 2T ≤ 4096 points of vec2<f32> fill 32 KiB of workgroup memory. */
export const FFT_CONV_MAX_T = 2048;
/** Sequences (b, r) each filter-gradient workgroup folds into one partial spectrum. */
const SEQUENCES_PER_PART = 8;
/** Cap on the partial-spectrum scratch, in complex values (64 MiB). */
const MAX_PARTIAL_VALUES = 8 * 1024 * 1024;

/** FFT size for length T: the smallest power of two ≥ 2T (≥ 2). */
export function fftSize(T: number): number {
  let m = 2;
  while (m < 2 * T) m *= 2;
  return m;
}

/**
 * The shader at `path` with its FFT size rewritten for M points. A shader that lost either line
 * (from shaders/conv/fft_math.wgsl) is refused: it would run at the size it was written for.
 */
export function fftSource(path: string, M: number): string {
  let text = shaderSource(path);
  for (const [name, value] of [['FFT_M', M], ['LOG2_M', Math.log2(M)]] as const) {
    const pattern = new RegExp(`const ${name}: u32 = \\d+u;`);
    if (!pattern.test(text)) throw new Error(`fftConv: shaders/${path} has no 'const ${name}: u32 = …u;' line to set the FFT size`);
    text = text.replace(pattern, `const ${name}: u32 = ${value}u;`);
  }
  return text;
}

/** tw[j] = exp(−2πi·j/M) for j < M/2, in f64 then rounded (GPU sin/cos are too coarse). */
export function fftTwiddles(M: number): Float32Array {
  const tw = new Float32Array(M);
  for (let j = 0; j < M / 2; j++) {
    tw[2 * j] = Math.cos((2 * Math.PI * j) / M);
    tw[2 * j + 1] = -Math.sin((2 * Math.PI * j) / M);
  }
  return tw;
}

export interface FftConvPlan {
  B: number;
  T: number;
  C: number;
  CF: number;
  R: number;
  M: number;
  /** Filter-gradient parts per filter channel and sequences per part. */
  P: number;
  S: number;
}

export function fftConvPlan(B: number, T: number, C: number, CF: number): FftConvPlan {
  const R = C / CF;
  const M = fftSize(T);
  const total = B * R;
  const cap = Math.max(1, Math.floor(MAX_PARTIAL_VALUES / (CF * M)));
  const target = Math.min(Math.ceil(total / SEQUENCES_PER_PART), cap);
  const S = Math.ceil(total / target);
  const P = Math.ceil(total / S);
  return { B, T, C, CF, R, M, P, S };
}

export interface FftConvOptions {
  /** Kernel family (default: fftConvVariantFor(g.target)). */
  variant?: FftConvVariant;
}

export function fftConv(g: Graph, u: Tensor, k: Tensor, dskip: Tensor, opts: FftConvOptions = {}): Tensor {
  if (u.rank < 2) throw new Error(`fftConv: u must be [..., T, C], got ${u}`);
  const C = u.lastDim;
  const T = u.shape[u.rank - 2]!;
  const B = u.size / (T * C);
  if (k.rank !== 2 || k.shape[0] !== T) throw new Error(`fftConv: k must be [T=${T}, CF], got ${k}`);
  const CF = k.shape[1]!;
  if (C % CF !== 0) throw new Error(`fftConv: ${C} channels are not a multiple of the ${CF} filter channels`);
  if (dskip.rank !== 1 || dskip.shape[0] !== CF) throw new Error(`fftConv: D must be [${CF}], got ${dskip}`);
  if (T > FFT_CONV_MAX_T) throw new Error(`fftConv: T = ${T} exceeds ${FFT_CONV_MAX_T} (M = 2T must fit workgroup memory)`);
  for (const t of [u, k, dskip]) if (t.dtype !== 'f32') throw new Error(`fftConv: needs f32, got ${t}`);

  const plan = fftConvPlan(B, T, C, CF);
  const { M, R, P, S } = plan;
  const variant = opts.variant ?? fftConvVariantFor(g.target);
  const shaders = FFT_CONV_SHADERS[variant];
  const wide = variant === 'workgroup';
  // 'workgroup': one workgroup of up to 256 invocations per FFT; 'private': PRIVATE_WG FFTs a workgroup.
  const constants = { WG: wide ? Math.min(256, M / 2) : PRIVATE_WG };
  const grid = (ffts: number) => grid1d(wide ? ffts : ffts / PRIVATE_WG);
  const params = packUniform([
    ['u32', B],
    ['u32', T],
    ['u32', C],
    ['u32', CF],
    ['u32', R],
  ]);
  const tw = g.input([M / 2, 2], 'f32', `fft twiddles M=${M}`, fftTwiddles(M));
  const kf = g.tensor([CF, M, 2], 'f32', `fft(${k.label})`);
  g.launch({
    label: `fft filter spectrum (${variant})`,
    source: fftSource(shaders.spectrum, M),
    entryPoint: 'main',
    constants,
    bindings: [bind(k), bind(kf), { kind: 'uniform', data: params }, bind(tw)],
    workgroups: grid(CF),
  });
  const y = g.tensor(u.shape, 'f32', `fftconv(${u.label})`);
  g.launch({
    label: `fft conv forward (${variant})`,
    source: fftSource(shaders.forward, M),
    entryPoint: 'main',
    constants,
    bindings: [bind(u), bind(kf), bind(dskip), bind(y), { kind: 'uniform', data: params }, bind(tw)],
    workgroups: grid(B * Math.ceil(C / 2)),
  });

  g.apply('fftConv', [u, k, dskip], [y], ([dy], [du, dk, dd]) => {
    if (du) {
      g.launch({
        label: `fft conv backward input (${variant})`,
        source: fftSource(shaders.backwardInput, M),
        entryPoint: 'main',
        constants,
        bindings: [bind(dy!), bind(kf), bind(dskip), bind(du), { kind: 'uniform', data: params }, bind(tw)],
        workgroups: grid(B * Math.ceil(C / 2)),
      });
    }
    if (dk || dd) {
      const acc = g.tensor([CF * P, M, 2], 'f32', 'fftconv filter grad partials');
      const dpart = g.tensor([CF * P], 'f32', 'fftconv skip grad partials');
      const gradParams = packUniform([
        ['u32', B],
        ['u32', T],
        ['u32', C],
        ['u32', CF],
        ['u32', R],
        ['u32', P],
        ['u32', S],
        ['u32', dk ? 1 : 0],
        ['u32', dd ? 1 : 0],
      ]);
      g.launch({
        label: `fft conv backward filter partials (${variant})`,
        source: fftSource(shaders.backwardFilter, M),
        entryPoint: 'main',
        constants,
        bindings: [bind(dy!), bind(u), bind(acc), bind(dpart), { kind: 'uniform', data: gradParams }, bind(tw)],
        workgroups: grid(CF * P),
      });
      g.launch({
        label: `fft conv backward filter final (${variant})`,
        source: fftSource(shaders.backwardFilterFinal, M),
        entryPoint: 'main',
        constants,
        bindings: [
          bind(acc),
          bind(dpart),
          bind(dk ?? g.tensor([T, CF], 'f32', 'fftconv dk (unused)')),
          bind(dd ?? g.tensor([CF], 'f32', 'fftconv dD (unused)')),
          { kind: 'uniform', data: gradParams },
          bind(tw),
        ],
        workgroups: grid(CF),
      });
    }
  });
  return y;
}
