// Mamba's selective scan (docs/protocol.md §4.4, docs/kernels.md "Selective scan"), chunked over time:
//   h_t[c,n] = exp(Δ_t[c]·A[c,n])·h_{t−1}[c,n] + Δ_t[c]·B_t[n]·x_t[c],   A = −exp(A_log)
//   y_t[c]   = Σ_n C_t[n]·h_t[c,n] + D[c]·x_t[c]
// Forward: coefficients (A, D) packed once; pass 1 local scan per chunk from 0 (end state and
// Π a); pass 2 a sequential scan over the K = ⌈T/chunk⌉ chunk carries; pass 3 every chunk
// rescanned from its carry, writing y. Only chunk-boundary states are kept.
// Backward: the same three passes in reverse time for g_t = ∂L/∂h_t (states inside a chunk are
// recomputed from its boundary), then deterministic fixed-order sums for dB, dC, dA_log, dD.
// B_t and C_t are read from columns of one tensor `bc` [.., T, S] (Mamba's x_proj output).

import { bind, type Graph } from '../../graph.ts';
import { grid1d } from '../../launch.ts';
import { shaderSource } from '../../shaderSource.ts';
import type { Tensor } from '../../tensor.ts';
import { packUniform } from '../../uniform.ts';

/** Limits of the kernels' register and workgroup arrays (selective_scan_common.wgsl). */
export const SCAN_MAX_N = 16;
export const SCAN_HIST_CAP = 128;
export const SCAN_RED_CAP = 2048;
export const SCAN_DEFAULT_CHUNK = 16;

export interface SelectiveScanInputs {
  /** [B, T, Dc] */
  x: Tensor;
  /** Δ (already softplus'ed), [B, T, Dc] */
  delta: Tensor;
  /** [B, T, S]: B_t at columns bOffset…bOffset+N−1, C_t at cOffset…cOffset+N−1. */
  bc: Tensor;
  bOffset: number;
  cOffset: number;
  /** [Dc, N] (A = −exp(A_log)) */
  aLog: Tensor;
  /** [Dc] */
  d: Tensor;
}

export interface SelectiveScanOptions {
  /** Time steps per chunk (default 16, at most 128 / N). */
  chunk?: number;
  /** Channels per workgroup of the backward (a power of two ≥ 2N; default min(64, ≥ Dc)). */
  workgroup?: number;
}

const WG = 64;

const RED_CAP_LINE = `const RED_CAP: u32 = ${SCAN_RED_CAP}u;`;

/**
 * The backward kernel with its workgroup reduction array sized to what it uses (WG·2N floats):
 * SwiftShader's compile time grows with workgroup memory (8 s at 2,048 floats, < 1 s at 128),
 * and text substitution avoids override-sized workgroup arrays (webgpu-notes.md).
 */
function backwardSource(redSize: number): string {
  const text = shaderSource('scan/selective_scan_backward.wgsl');
  if (!text.includes(RED_CAP_LINE)) throw new Error(`selective_scan_common.wgsl no longer declares '${RED_CAP_LINE}'`);
  return text.replace(RED_CAP_LINE, `const RED_CAP: u32 = ${redSize}u;`);
}

export function selectiveScan(g: Graph, inp: SelectiveScanInputs, opts: SelectiveScanOptions = {}): Tensor {
  const { x, delta, bc, aLog, d, bOffset, cOffset } = inp;
  if (x.rank !== 3) throw new Error(`selectiveScan: x must be [B, T, Dc], got ${x}`);
  const [batch, T, C] = x.shape as [number, number, number];
  if (aLog.rank !== 2 || aLog.shape[0] !== C) throw new Error(`selectiveScan: A_log must be [${C}, N], got ${aLog}`);
  const N = aLog.shape[1]!;
  const S = bc.lastDim;
  const check = (ok: boolean, what: string): void => {
    if (!ok) throw new Error(`selectiveScan: ${what}`);
  };
  check(delta.shape.length === 3 && delta.shape.every((v, i) => v === x.shape[i]), `Δ must match x ${x}, got ${delta}`);
  check(bc.rank === 3 && bc.shape[0] === batch && bc.shape[1] === T, `bc must be [${batch}, ${T}, S], got ${bc}`);
  check(bOffset >= 0 && bOffset + N <= S && cOffset >= 0 && cOffset + N <= S, `B/C columns [${bOffset}, ${cOffset}] + ${N} outside ${bc}`);
  check(d.rank === 1 && d.shape[0] === C, `D must be [${C}], got ${d}`);
  check(N >= 1 && N <= SCAN_MAX_N, `state size N = ${N} must be in 1…${SCAN_MAX_N}`);
  for (const t of [x, delta, bc, aLog, d]) check(t.dtype === 'f32', `needs f32, got ${t}`);
  const chunk = opts.chunk ?? Math.min(SCAN_DEFAULT_CHUNK, Math.floor(SCAN_HIST_CAP / N));
  check(Number.isInteger(chunk) && chunk >= 1 && chunk * N <= SCAN_HIST_CAP, `chunk ${chunk} must be ≥ 1 with chunk·N ≤ ${SCAN_HIST_CAP}`);
  let bwg = opts.workgroup ?? 1;
  if (opts.workgroup === undefined) while (bwg < 2 * N || bwg < Math.min(64, C)) bwg *= 2;
  check((bwg & (bwg - 1)) === 0 && bwg >= 2 * N && bwg * 2 * N <= SCAN_RED_CAP && bwg <= 256, `backward workgroup ${bwg} must be a power of two in [2N, ${SCAN_RED_CAP}/2N]`);

  const K = Math.ceil(T / chunk);
  const nCblocks = Math.ceil(C / bwg);
  const rows = batch * T;
  const boundary = batch * K * C * N;
  const coefSize = C * (N + 1);
  const hOff = coefSize;
  const gOff = coefSize + boundary;
  const partBc = rows * nCblocks * 2 * N;
  const params = packUniform([
    ['u32', batch],
    ['u32', T],
    ['u32', C],
    ['u32', N],
    ['u32', chunk],
    ['u32', K],
    ['u32', nCblocks],
    ['u32', 0], // reverse, set per launch below
    ['u32', S],
    ['u32', bOffset],
    ['u32', cOffset],
    ['u32', hOff],
    ['u32', gOff],
    ['u32', partBc],
    ['u32', 0],
    ['u32', 0],
  ]);
  const reversed = params.slice(0);
  new DataView(reversed).setUint32(7 * 4, 1, true);
  const uniform = { kind: 'uniform' as const, data: params };

  const states = g.tensor([coefSize + 2 * boundary], 'f32', 'scan states');
  const endState = g.tensor([batch, K, C, N], 'f32', 'scan chunk ends');
  const prod = g.tensor([batch, K, C, N], 'f32', 'scan chunk products');
  const y = g.tensor([batch, T, C], 'f32', `scan(${x.label})`);
  const perChunk = grid1d((batch * K * C) / WG);

  g.launch({
    label: 'selective scan coef',
    source: shaderSource('scan/selective_scan_coef.wgsl'),
    entryPoint: 'main',
    constants: { WG },
    bindings: [bind(aLog), bind(d), bind(states), { kind: 'uniform', data: packUniform([['u32', C], ['u32', N]]) }],
    workgroups: grid1d(coefSize / WG),
  });
  g.launch({
    label: 'selective scan forward chunks',
    source: shaderSource('scan/selective_scan_forward_chunk.wgsl'),
    entryPoint: 'main',
    constants: { WG },
    bindings: [bind(x), bind(delta), bind(bc), bind(states), bind(endState), bind(prod), uniform],
    workgroups: perChunk,
  });
  g.launch({
    label: 'selective scan forward carries',
    source: shaderSource('scan/selective_scan_carry.wgsl'),
    entryPoint: 'main',
    constants: { WG },
    bindings: [bind(endState), bind(prod), bind(states), uniform],
    workgroups: grid1d((batch * C * N) / WG),
  });
  g.launch({
    label: 'selective scan forward',
    source: shaderSource('scan/selective_scan_forward.wgsl'),
    entryPoint: 'main',
    constants: { WG },
    bindings: [bind(x), bind(delta), bind(bc), bind(states), bind(y), uniform],
    workgroups: perChunk,
  });

  g.apply('selectiveScan', [x, delta, bc, aLog, d], [y], ([dy], [dx, dDelta, dBc, dALog, dD]) => {
    g.launch({
      label: 'selective scan backward chunks',
      source: shaderSource('scan/selective_scan_backward_chunk.wgsl'),
      entryPoint: 'main',
      constants: { WG },
      bindings: [bind(delta), bind(bc), bind(states), bind(dy!), bind(endState), bind(prod), uniform],
      workgroups: perChunk,
    });
    g.launch({
      label: 'selective scan backward carries',
      source: shaderSource('scan/selective_scan_carry.wgsl'),
      entryPoint: 'main',
      constants: { WG },
      bindings: [bind(endState), bind(prod), bind(states), { kind: 'uniform', data: reversed }],
      workgroups: grid1d((batch * C * N) / WG),
    });
    const work = g.tensor([partBc + batch * K * C * (N + 1)], 'f32', 'scan backward partials');
    g.launch({
      label: 'selective scan backward',
      source: backwardSource(bwg * 2 * N),
      entryPoint: 'main',
      constants: { WG: bwg },
      bindings: [
        bind(x),
        bind(delta),
        bind(bc),
        bind(states),
        bind(dy!),
        bind(dx ?? g.tensor(x.shape, 'f32', 'scan dx (unused)')),
        bind(dDelta ?? g.tensor(x.shape, 'f32', 'scan dΔ (unused)')),
        bind(work),
        uniform,
      ],
      workgroups: grid1d(batch * K * nCblocks),
    });
    if (dBc) {
      g.launch({
        label: 'selective scan backward dB dC',
        source: shaderSource('scan/selective_scan_backward_bc.wgsl'),
        entryPoint: 'main',
        constants: { WG: 256 },
        bindings: [bind(work), bind(dBc), uniform],
        workgroups: grid1d((rows * 2 * N) / 256),
      });
    }
    if (dALog || dD) {
      g.launch({
        label: 'selective scan backward dA_log dD',
        source: shaderSource('scan/selective_scan_backward_params.wgsl'),
        entryPoint: 'main',
        constants: { WG },
        bindings: [
          bind(work),
          bind(aLog),
          bind(dALog ?? g.tensor(aLog.shape, 'f32', 'scan dA_log (unused)')),
          bind(dD ?? g.tensor(d.shape, 'f32', 'scan dD (unused)')),
          uniform,
        ],
        workgroups: grid1d(coefSize / WG),
      });
    }
  });
  return y;
}
