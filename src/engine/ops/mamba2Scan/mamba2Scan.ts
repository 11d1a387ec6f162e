// The Mamba-2 scan (docs/protocol.md §4.10, docs/kernels.md "Mamba-2 scan"): Mamba's selective
// scan with Δ and A shared by the P channels of a head, parallel over batch × heads, chunked
// over time:
//   h_t[c,n] = exp(Δ_t[h]·A_h)·h_{t−1}[c,n] + Δ_t[h]·x_t[c]·B_t[q,n],   A_h = −exp(A_log[h])
//   y_t[c]   = Σ_n C_t[q,n]·h_t[c,n] + D_h·x_t[c]                        (c = h·P + p)
// Forward: coefficients (A, D) packed once; pass 1 local scan per chunk from 0 (end state, and
// Π a per head); pass 2 a sequential scan over the K = ⌈T/chunk⌉ chunk carries; pass 3 every
// chunk rescanned from its carry, writing y. Only chunk-boundary states are kept.
// Backward: the same three passes in reverse time for g_t = ∂L/∂h_t, the third one workgroup
// per (b, chunk, head) that recomputes the chunk's states from its boundary and sums dΔ, dB, dC
// over the head's channels in workgroup memory; then deterministic fixed-order sums for dB, dC
// over a group's heads and for dA_log, dD over batch and chunks. One kernel family serves both
// kernel targets (no tiles, no subgroup operations).
// x, B and C are read from columns of one tensor `xbc` [B, T, H·P + 2GN] (the layer's conv output).

import { bind, type Graph } from '../../graph.ts';
import { grid1d } from '../../launch.ts';
import { shaderSource } from '../../shaderSource.ts';
import type { Tensor } from '../../tensor.ts';
import { packUniform } from '../../uniform.ts';
import { nextPow2 } from '../reduce/broadcast.ts';

/** Limits of the kernels' register and workgroup arrays (mamba2_common.wgsl). */
export const MAMBA2_MAX_N = 16;
export const MAMBA2_HIST_CAP = 128;
export const MAMBA2_RED_CAP = 4096;
export const MAMBA2_DEFAULT_CHUNK = 16;
/** Largest head dimension: one backward workgroup holds a head's channels. */
export const MAMBA2_MAX_HEADDIM = 256;

export const MAMBA2_SCAN_SHADERS = {
  forward: ['scan/mamba2_coef.wgsl', 'scan/mamba2_forward_chunk.wgsl', 'scan/mamba2_carry.wgsl', 'scan/mamba2_forward.wgsl'],
  backward: ['scan/mamba2_backward_chunk.wgsl', 'scan/mamba2_carry.wgsl', 'scan/mamba2_backward.wgsl', 'scan/mamba2_backward_bc.wgsl', 'scan/mamba2_backward_params.wgsl'],
} as const;

export interface Mamba2ScanInputs {
  /** [B, T, H·P + 2GN]: x | B (G groups of N) | C (G groups of N). */
  xbc: Tensor;
  /** Δ (already softplus'ed), [B, T, H] */
  delta: Tensor;
  /** [H] (A = −exp(A_log)) */
  aLog: Tensor;
  /** [H] */
  d: Tensor;
}

export interface Mamba2ScanDims {
  /** head dimension P */
  headdim: number;
  /** state size N */
  state: number;
  /** B/C groups G (H a multiple of G) */
  groups: number;
}

export interface Mamba2ScanOptions {
  /** Time steps per chunk (default 16, at most 128 / N). */
  chunk?: number;
}

const WG = 64;

const RED_CAP_LINE = `const RED_CAP: u32 = ${MAMBA2_RED_CAP}u;`;

/** The backward kernel with its workgroup reduction array sized to what it uses (WG·(2N+1) floats; see selectiveScan.ts). */
function backwardSource(redSize: number): string {
  const text = shaderSource('scan/mamba2_backward.wgsl');
  if (!text.includes(RED_CAP_LINE)) throw new Error(`mamba2_common.wgsl no longer declares '${RED_CAP_LINE}'`);
  return text.replace(RED_CAP_LINE, `const RED_CAP: u32 = ${redSize}u;`);
}

/** y [B, T, H·P]. */
export function mamba2Scan(g: Graph, inp: Mamba2ScanInputs, dims: Mamba2ScanDims, opts: Mamba2ScanOptions = {}): Tensor {
  const { xbc, delta, aLog, d } = inp;
  const { headdim: P, state: N, groups: G } = dims;
  const check = (ok: boolean, what: string): void => {
    if (!ok) throw new Error(`mamba2Scan: ${what}`);
  };
  check(delta.rank === 3, `Δ must be [B, T, H], got ${delta}`);
  const [batch, T, H] = delta.shape as [number, number, number];
  const C = H * P;
  const S = C + 2 * G * N;
  check(xbc.rank === 3 && xbc.shape[0] === batch && xbc.shape[1] === T && xbc.shape[2] === S, `xbc must be [${batch}, ${T}, ${S}] (H·P + 2GN), got ${xbc}`);
  check(aLog.rank === 1 && aLog.shape[0] === H, `A_log must be [${H}], got ${aLog}`);
  check(d.rank === 1 && d.shape[0] === H, `D must be [${H}], got ${d}`);
  check(N >= 1 && N <= MAMBA2_MAX_N, `state size N = ${N} must be in 1…${MAMBA2_MAX_N}`);
  check(P >= 1 && P <= MAMBA2_MAX_HEADDIM, `head dimension P = ${P} must be in 1…${MAMBA2_MAX_HEADDIM}`);
  check(G >= 1 && H % G === 0, `heads ${H} must be a multiple of groups ${G}`);
  for (const t of [xbc, delta, aLog, d]) check(t.dtype === 'f32', `needs f32, got ${t}`);
  const chunk = opts.chunk ?? Math.min(MAMBA2_DEFAULT_CHUNK, Math.floor(MAMBA2_HIST_CAP / N));
  check(Number.isInteger(chunk) && chunk >= 1 && chunk * N <= MAMBA2_HIST_CAP, `chunk ${chunk} must be ≥ 1 with chunk·N ≤ ${MAMBA2_HIST_CAP}`);
  const bwg = Math.max(2, nextPow2(P));
  check(bwg * (2 * N + 1) <= MAMBA2_RED_CAP, `head dimension ${P} and state ${N} need ${bwg * (2 * N + 1)} floats of workgroup memory (> ${MAMBA2_RED_CAP})`);

  const K = Math.ceil(T / chunk);
  const rows = batch * T;
  const boundary = batch * K * C * N;
  const coefSize = 2 * H;
  const hOff = coefSize;
  const gOff = coefSize + boundary;
  const partBc = rows * H * 2 * N;
  const params = packUniform([
    ['u32', batch],
    ['u32', T],
    ['u32', H],
    ['u32', P],
    ['u32', N],
    ['u32', G],
    ['u32', chunk],
    ['u32', K],
    ['u32', 0], // reverse, set per launch below
    ['u32', S],
    ['u32', hOff],
    ['u32', gOff],
    ['u32', partBc],
    ['u32', 0],
    ['u32', 0],
    ['u32', 0],
  ]);
  const reversed = params.slice(0);
  new DataView(reversed).setUint32(8 * 4, 1, true);
  const uniform = { kind: 'uniform' as const, data: params };

  const states = g.tensor([coefSize + 2 * boundary], 'f32', 'mamba2 scan states');
  const endState = g.tensor([batch, K, C, N], 'f32', 'mamba2 scan chunk ends');
  const prod = g.tensor([batch, K, H], 'f32', 'mamba2 scan chunk products');
  const y = g.tensor([batch, T, C], 'f32', `mamba2Scan(${xbc.label})`);
  const perChunk = grid1d((batch * K * C) / WG);
  const carries = grid1d((batch * C * N) / WG);

  g.launch({
    label: 'mamba2 scan coef',
    source: shaderSource('scan/mamba2_coef.wgsl'),
    entryPoint: 'main',
    constants: { WG },
    bindings: [bind(aLog), bind(d), bind(states), uniform],
    workgroups: grid1d(H / WG),
  });
  g.launch({
    label: 'mamba2 scan forward chunks',
    source: shaderSource('scan/mamba2_forward_chunk.wgsl'),
    entryPoint: 'main',
    constants: { WG },
    bindings: [bind(xbc), bind(delta), bind(states), bind(endState), bind(prod), uniform],
    workgroups: perChunk,
  });
  g.launch({
    label: 'mamba2 scan forward carries',
    source: shaderSource('scan/mamba2_carry.wgsl'),
    entryPoint: 'main',
    constants: { WG },
    bindings: [bind(endState), bind(prod), bind(states), uniform],
    workgroups: carries,
  });
  g.launch({
    label: 'mamba2 scan forward',
    source: shaderSource('scan/mamba2_forward.wgsl'),
    entryPoint: 'main',
    constants: { WG },
    bindings: [bind(xbc), bind(delta), bind(states), bind(y), uniform],
    workgroups: perChunk,
  });

  g.apply('mamba2Scan', [xbc, delta, aLog, d], [y], ([dy], [dXbc, dDelta, dALog, dD]) => {
    g.launch({
      label: 'mamba2 scan backward chunks',
      source: shaderSource('scan/mamba2_backward_chunk.wgsl'),
      entryPoint: 'main',
      constants: { WG },
      bindings: [bind(xbc), bind(delta), bind(states), bind(dy!), bind(endState), bind(prod), uniform],
      workgroups: perChunk,
    });
    g.launch({
      label: 'mamba2 scan backward carries',
      source: shaderSource('scan/mamba2_carry.wgsl'),
      entryPoint: 'main',
      constants: { WG },
      bindings: [bind(endState), bind(prod), bind(states), { kind: 'uniform', data: reversed }],
      workgroups: carries,
    });
    const work = g.tensor([partBc + batch * K * H * 2], 'f32', 'mamba2 scan backward partials');
    const dx = dXbc ?? g.tensor(xbc.shape, 'f32', 'mamba2 scan dxbc (unused)');
    g.launch({
      label: 'mamba2 scan backward',
      source: backwardSource(bwg * (2 * N + 1)),
      entryPoint: 'main',
      constants: { WG: bwg },
      bindings: [bind(xbc), bind(delta), bind(states), bind(dy!), bind(dx), bind(dDelta ?? g.tensor(delta.shape, 'f32', 'mamba2 scan dΔ (unused)')), bind(work), uniform],
      workgroups: grid1d(batch * K * H),
    });
    g.launch({
      label: 'mamba2 scan backward dB dC',
      source: shaderSource('scan/mamba2_backward_bc.wgsl'),
      entryPoint: 'main',
      constants: { WG: 256 },
      bindings: [bind(work), bind(dx), uniform],
      workgroups: grid1d((rows * G * 2 * N) / 256),
    });
    if (dALog || dD) {
      g.launch({
        label: 'mamba2 scan backward dA_log dD',
        source: shaderSource('scan/mamba2_backward_params.wgsl'),
        entryPoint: 'main',
        constants: { WG },
        bindings: [
          bind(work),
          bind(states),
          bind(dALog ?? g.tensor(aLog.shape, 'f32', 'mamba2 scan dA_log (unused)')),
          bind(dD ?? g.tensor(d.shape, 'f32', 'mamba2 scan dD (unused)')),
          uniform,
        ],
        workgroups: grid1d(H / WG),
      });
    }
  });
  return y;
}
