// mh-hyena's multi-head long convolution as one fused op (docs/protocol.md §4.3, docs/kernels.md):
//   uc: [..., T, 3I] holds x1 | x2 | v (the short-filtered streams); channels are grouped as
//   c = a·H + i: W = I/H groups of H channels, group a using filter k[·, a] and skip D[a]:
//   M_a[i,j](t) = Σ_{s≤t} k[t−s, a]·v_i(s)·x2_j(s) + D_a·v_i(t)·x2_j(t)
//   y[..., t, a·H + j] = Σ_i x1_i(t)·M_a[i,j](t)
// k: [T, W]; D: [W]; y: [..., T, I]. The H² products per group are formed and convolved inside
// the kernels (FFTs in workgroup memory), never stored: memory stays O(B·T·I) at any T.
// Backward: duc (all three streams), dk and dD; the filter sums over b reuse fftConv's final pass.

import { bind, type Graph } from '../../graph.ts';
import { grid1d } from '../../launch.ts';
import type { Tensor } from '../../tensor.ts';
import { packUniform } from '../../uniform.ts';
import { FFT_CONV_MAX_T, FFT_CONV_SHADERS, fftSize, fftSource, fftTwiddles } from './fftConv.ts';

export const MH_FFT_CONV_SHADERS = {
  forward: 'conv/fft_mh_conv_forward.wgsl',
  backward: 'conv/fft_mh_conv_backward.wgsl',
} as const;

export function mhFftConv(g: Graph, uc: Tensor, k: Tensor, dskip: Tensor, heads: number): Tensor {
  if (uc.rank < 2) throw new Error(`mhFftConv: uc must be [..., T, 3I], got ${uc}`);
  const T = uc.shape[uc.rank - 2]!;
  if (uc.lastDim % 3 !== 0) throw new Error(`mhFftConv: uc ${uc} must hold three streams of I channels`);
  const I = uc.lastDim / 3;
  const B = uc.size / (T * 3 * I);
  const H = heads;
  if (!Number.isInteger(H) || H < 1 || I % H !== 0) throw new Error(`mhFftConv: ${H} channels per group must divide I = ${I}`);
  const W = I / H;
  if (k.rank !== 2 || k.shape[0] !== T || k.shape[1] !== W) throw new Error(`mhFftConv: k must be [T=${T}, W=${W}], got ${k}`);
  if (dskip.rank !== 1 || dskip.shape[0] !== W) throw new Error(`mhFftConv: D must be [${W}], got ${dskip}`);
  if (T > FFT_CONV_MAX_T) throw new Error(`mhFftConv: T = ${T} exceeds ${FFT_CONV_MAX_T}`);
  for (const t of [uc, k, dskip]) if (t.dtype !== 'f32') throw new Error(`mhFftConv: needs f32, got ${t}`);

  const M = fftSize(T);
  const wg = Math.min(256, M / 2);
  const constants = { WG: wg };
  const tw = g.input([M / 2, 2], 'f32', `fft twiddles M=${M}`, fftTwiddles(M));
  const kf = g.tensor([W, M, 2], 'f32', `fft(${k.label})`);
  g.launch({
    label: 'fft filter spectrum',
    source: fftSource(FFT_CONV_SHADERS.workgroup.spectrum, M),
    entryPoint: 'main',
    constants,
    bindings: [
      bind(k),
      bind(kf),
      {
        kind: 'uniform',
        data: packUniform([
          ['u32', B],
          ['u32', T],
          ['u32', W],
          ['u32', W],
          ['u32', 1],
        ]),
      },
      bind(tw),
    ],
    workgroups: grid1d(W),
  });
  const params = packUniform([
    ['u32', B],
    ['u32', T],
    ['u32', I],
    ['u32', W],
    ['u32', H],
  ]);
  const y = g.tensor([...uc.shape.slice(0, -1), I], 'f32', `mhfftconv(${uc.label})`);
  g.launch({
    label: 'mh fft conv forward',
    source: fftSource(MH_FFT_CONV_SHADERS.forward, M),
    entryPoint: 'main',
    constants,
    bindings: [bind(uc), bind(kf), bind(dskip), bind(y), { kind: 'uniform', data: params }, bind(tw)],
    workgroups: grid1d(B * W * H),
  });

  g.apply('mhFftConv', [uc, k, dskip], [y], ([dy], [duc, dk, dd]) => {
    const acc = g.tensor([W * B, M, 2], 'f32', 'mhfftconv filter grad partials');
    const dpart = g.tensor([W * B], 'f32', 'mhfftconv skip grad partials');
    g.launch({
      label: 'mh fft conv backward',
      source: fftSource(MH_FFT_CONV_SHADERS.backward, M),
      entryPoint: 'main',
      constants,
      bindings: [
        bind(uc),
        bind(dy!),
        bind(kf),
        bind(dskip),
        bind(duc ?? g.tensor(uc.shape, 'f32', 'mhfftconv duc (unused)')),
        bind(acc),
        bind(dpart),
        { kind: 'uniform', data: params },
        bind(tw),
      ],
      workgroups: grid1d(B * W),
    });
    if (dk || dd) {
      g.launch({
        label: 'fft conv backward filter final',
        source: fftSource(FFT_CONV_SHADERS.workgroup.backwardFilterFinal, M),
        entryPoint: 'main',
        constants,
        bindings: [
          bind(acc),
          bind(dpart),
          bind(dk ?? g.tensor([T, W], 'f32', 'mhfftconv dk (unused)')),
          bind(dd ?? g.tensor([W], 'f32', 'mhfftconv dD (unused)')),
          {
            kind: 'uniform',
            // B, T, C, CF, R, P, S, HAS_DK, HAS_DD: the partials are W filters × B parts.
            data: packUniform([
              ['u32', B],
              ['u32', T],
              ['u32', I],
              ['u32', W],
              ['u32', 1],
              ['u32', B],
              ['u32', 1],
              ['u32', dk ? 1 : 0],
              ['u32', dd ? 1 : 0],
            ]),
          },
          bind(tw),
        ],
        workgroups: grid1d(W),
      });
    }
  });
  return y;
}
