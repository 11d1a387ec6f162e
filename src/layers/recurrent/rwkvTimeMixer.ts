// mad-lab's RWKV5 and RWKV6 time mixers (docs/protocol.md §4.7; BlinkDL's RWKV-LM v5/v6 with n_layer 1,
// layer_id 0). mad-lab casts these modules wholesale to bf16 (their CUDA kernels require it); we
// train them in f32 like every other layer, so numbers will differ slightly from mad-lab's.
//   x′ = tokenShift(x)
//   RWKV5: x_• = x·μ_• + x′·(1 − μ_•)  (time_mix_k/v/r/g);  log decay lw = −exp(time_decay) per channel
//   RWKV6: Δx = x′ − x; x̃ = x + Δx·maa_x; [m_w..m_g] = per-block (tanh(x̃ W₁) W₂[j]);
//          x_• = x + Δx·(maa_• + m_•);  lw_t = −exp(time_decay + tanh(x_w D₁) D₂) per token
//   r, k, v = Linear(x_r/k/v); g = SiLU(Linear(x_g)); per head (dim_att / head_dim heads):
//   y_t = r_tᵀ(diag(u) k_t v_tᵀ + S_{t−1}),  S_t = diag(exp(lw_t)) S_{t−1} + k_t v_tᵀ  (chunked kernel)
//   out = Linear(GroupNorm(heads)(y') ⊙ g), y' = y / head_dim_divisor (RWKV5, GroupNorm eps 1e−5)
//   or y (RWKV6, eps 1e−5·divisor²). GroupNorm(y/c; ε) = GroupNorm(y; ε·c²) exactly, so both run as
//   GroupNorm(y; 1e−5·divisor²) — a LayerNorm over each head's [B, T, H, hd] view without affine,
//   then the per-channel affine (GroupNorm's weight and bias are per channel, not per group member).

import type { Graph } from '../../engine/graph.ts';
import { add, mul, sub } from '../../engine/ops/binary/binary.ts';
import { chunkedRecurrence } from '../../engine/ops/chunkedRecurrence/chunkedRecurrence.ts';
import { layernorm } from '../../engine/ops/layernorm/layernorm.ts';
import { linear, matmul } from '../../engine/ops/matmul/matmul.ts';
import { sliceLastAxis } from '../../engine/ops/slice/slice.ts';
import { tokenShift } from '../../engine/ops/tokenShift/tokenShift.ts';
import { tokenShiftMix } from '../../engine/ops/tokenShiftMix/tokenShiftMix.ts';
import { unary } from '../../engine/ops/unary/unary.ts';
import type { Tensor } from '../../engine/tensor.ts';
import { uniform } from '../../engine/init.ts';
import { checkKeys, ConfigError, readInteger } from '../configValues.ts';
import type { LayerConfig, LayerDefinition } from '../types.ts';

export type RwkvVersion = 5 | 6;

/** RWKV6's low-rank sizes (TIME_MIX_EXTRA_DIM, TIME_DECAY_EXTRA_DIM). */
export const RWKV6_MIX_RANK = 32;
export const RWKV6_DECAY_RANK = 64;

export interface RwkvTimeShape {
  heads: number;
  headDim: number;
  /** GroupNorm eps applied to y itself (see the header). */
  eps: number;
}

export interface Rwkv5TimeParams {
  mixK: Tensor; // [1, 1, d]
  mixV: Tensor;
  mixR: Tensor;
  mixG: Tensor;
  decay: Tensor; // [H, hd]
  bonus: Tensor; // [H, hd]
  receptance: Tensor; // [A, d]
  key: Tensor;
  value: Tensor;
  output: Tensor; // [d, A]
  gate: Tensor; // [A, d]
  lnW: Tensor; // [A]
  lnB: Tensor; // [A]
}

export interface Rwkv6TimeParams {
  maaX: Tensor; // [1, 1, d]
  maaW: Tensor;
  maaK: Tensor;
  maaV: Tensor;
  maaR: Tensor;
  maaG: Tensor;
  maaW1: Tensor; // [d, 5·32]
  maaW2: Tensor; // [5, 32, d]
  decay: Tensor; // [1, 1, A]
  decayW1: Tensor; // [d, 64]
  decayW2: Tensor; // [64, A]
  bonus: Tensor; // [H, hd]
  receptance: Tensor;
  key: Tensor;
  value: Tensor;
  output: Tensor;
  gate: Tensor;
  lnW: Tensor;
  lnB: Tensor;
}

function constant(g: Graph, shape: number[], value: number, label: string): Tensor {
  return g.input(shape, 'f32', label, new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(value));
}

/** tanh(z) = 2σ(2z) − 1 from the existing pointwise ops (there is no tanh op). */
function tanh(g: Graph, z: Tensor): Tensor {
  return add(g, unary(g, 'scale', unary(g, 'sigmoid', unary(g, 'scale', z, 2)), 2), constant(g, [1], -1, 'minusOne'));
}

/** The shared tail: recurrence, GroupNorm, gate, output projection. lw: [B, T, A]. */
function rwkvTail(
  g: Graph,
  r: Tensor,
  k: Tensor,
  v: Tensor,
  lw: Tensor,
  gate: Tensor,
  p: { bonus: Tensor; lnW: Tensor; lnB: Tensor; output: Tensor },
  { heads, headDim, eps }: RwkvTimeShape,
): Tensor {
  const [B, T, A] = r.shape as [number, number, number];
  const hs = [B, T, heads, headDim];
  const y = chunkedRecurrence(g, { mode: 'rwkv', q: g.view(r, hs), k: g.view(k, hs), v: g.view(v, hs), logDecay: g.view(lw, hs), u: p.bonus });
  const normed = layernorm(g, y, constant(g, [headDim], 1, 'groupNormOnes'), constant(g, [headDim], 0, 'groupNormZeros'), eps);
  const affine = add(g, mul(g, g.view(normed, [B, T, A]), p.lnW), p.lnB);
  return linear(g, mul(g, affine, gate), p.output);
}

export function rwkv5TimeForward(g: Graph, x: Tensor, p: Rwkv5TimeParams, shape: RwkvTimeShape): Tensor {
  const [B, T] = x.shape as [number, number, number];
  const A = shape.heads * shape.headDim;
  const r = linear(g, tokenShiftMix(g, x, p.mixR, 'rwkv5'), p.receptance);
  const k = linear(g, tokenShiftMix(g, x, p.mixK, 'rwkv5'), p.key);
  const v = linear(g, tokenShiftMix(g, x, p.mixV, 'rwkv5'), p.value);
  const gate = linear(g, tokenShiftMix(g, x, p.mixG, 'rwkv5'), p.gate, undefined, 'silu');
  // Static per-channel log decay −exp(w), broadcast over [B, T] (its gradient is summed back).
  const lwStatic = unary(g, 'scale', unary(g, 'exp', g.view(p.decay, [A])), -1);
  const lw = add(g, constant(g, [B, T, A], 0, 'zerosBTA'), lwStatic);
  return rwkvTail(g, r, k, v, lw, gate, p, shape);
}

export function rwkv6TimeForward(g: Graph, x: Tensor, p: Rwkv6TimeParams, shape: RwkvTimeShape): Tensor {
  const d = x.lastDim;
  const A = shape.heads * shape.headDim;
  const dx = sub(g, tokenShift(g, x), x);
  const m = tanh(g, matmul(g, tokenShiftMix(g, x, p.maaX, 'rwkv6'), p.maaW1)); // [B, T, 160]
  const w2 = g.view(p.maaW2, [1, 5 * RWKV6_MIX_RANK * d]);
  const branch = (j: number, maa: Tensor): Tensor => {
    const mj = matmul(
      g,
      sliceLastAxis(g, m, j * RWKV6_MIX_RANK, RWKV6_MIX_RANK),
      g.view(sliceLastAxis(g, w2, j * RWKV6_MIX_RANK * d, RWKV6_MIX_RANK * d), [RWKV6_MIX_RANK, d]),
    );
    return add(g, tokenShiftMix(g, x, maa, 'rwkv6'), mul(g, dx, mj));
  };
  const xw = branch(0, p.maaW);
  const xk = branch(1, p.maaK);
  const xv = branch(2, p.maaV);
  const xr = branch(3, p.maaR);
  const xg = branch(4, p.maaG);
  const r = linear(g, xr, p.receptance);
  const k = linear(g, xk, p.key);
  const v = linear(g, xv, p.value);
  const gate = linear(g, xg, p.gate, undefined, 'silu');
  const w = add(g, matmul(g, tanh(g, matmul(g, xw, p.decayW1)), p.decayW2), g.view(p.decay, [A]));
  const lw = unary(g, 'scale', unary(g, 'exp', w), -1);
  return rwkvTail(g, r, k, v, lw, gate, p, shape);
}

/** mad-lab's init at layer_id 0 of n_layer 1. */
export const rwkvInit = {
  /** ddd^p with ddd[i] = i/d (time_mix_*); RWKV6 uses 1 − this. */
  mix: (d: number, power: number): Float32Array => Float32Array.from({ length: d }, (_, i) => (i / d) ** power),
  /** time_decay[n] = −6 + 5·(n/(A−1))^0.7. */
  decay: (a: number): Float32Array => Float32Array.from({ length: a }, (_, n) => -6 + 5 * (n / Math.max(1, a - 1)) ** 0.7),
  /** time_faaaa[n] = ((n+1) mod 3 − 1)·0.1. */
  bonus: (a: number): Float32Array => Float32Array.from({ length: a }, (_, n) => (((n + 1) % 3) - 1) * 0.1),
};

const KEYS: Record<RwkvVersion, readonly string[]> = {
  5: ['dim', 'head_dim', 'dim_att', 'head_dim_divisor'],
  6: ['dim', 'max_length', 'head_dim', 'dim_att', 'head_dim_divisor'],
};

function readShape(name: string, config: LayerConfig): RwkvTimeShape & { dimAtt: number } {
  const headDim = readInteger(name, config, 'head_dim');
  const dimAtt = readInteger(name, config, 'dim_att');
  const divisor = readInteger(name, config, 'head_dim_divisor');
  if (dimAtt % headDim !== 0) throw new ConfigError(name, 'head_dim', `'head_dim' ${headDim} must divide 'dim_att' ${dimAtt}`);
  if (headDim > 128) throw new ConfigError(name, 'head_dim', `'head_dim' ${headDim} exceeds 128`);
  return { heads: dimAtt / headDim, headDim, eps: 1e-5 * divisor * divisor, dimAtt };
}

function makeRwkvTimeMixerLayer(version: RwkvVersion): LayerDefinition {
  const name = `rwkv${version}-time-mixer`;
  return {
    name,
    shorthand: `R${version}t`,
    kind: 'sequence-mixer',
    description:
      version === 5
        ? 'RWKV5 time mixer: token-shift mixes, 8 heads of 16×16 state with per-channel decay and a bonus for the current token.'
        : 'RWKV6 time mixer: data-dependent token shift and per-token decay, 8 heads of 16×16 state, bonus for the current token.',
    validate(config) {
      checkKeys(name, config, KEYS[version]);
      readInteger(name, config, 'dim');
      if (version === 6) readInteger(name, config, 'max_length'); // accepted, unused (as in mad-lab)
      readShape(name, config);
    },
    build(ctx, x, config) {
      const { g, params, dim } = ctx;
      const s = readShape(name, config);
      const A = s.dimAtt;
      const n = ctx.name;
      const raw = (shape: number[], label: string, values: Float32Array): Tensor => params.raw(shape, `${n}.${label}`, () => values);
      const small = (shape: number[], label: string): Tensor => params.raw(shape, `${n}.${label}`, (rng, size) => uniform(rng, size, 1e-4));
      if (version === 5) {
        const mixK = raw([1, 1, dim], 'time_mix_k', rwkvInit.mix(dim, 1));
        const mixV = raw([1, 1, dim], 'time_mix_v', rwkvInit.mix(dim, 1));
        const mixR = raw([1, 1, dim], 'time_mix_r', rwkvInit.mix(dim, 0.5));
        const mixG = raw([1, 1, dim], 'time_mix_g', rwkvInit.mix(dim, 0.5));
        const decay = raw([s.heads, s.headDim], 'time_decay', rwkvInit.decay(A));
        const bonus = raw([s.heads, s.headDim], 'time_faaaa', rwkvInit.bonus(A));
        const p: Rwkv5TimeParams = {
          mixK,
          mixV,
          mixR,
          mixG,
          decay,
          bonus,
          receptance: params.linearWeight(A, dim, `${n}.receptance.weight`),
          key: params.linearWeight(A, dim, `${n}.key.weight`),
          value: params.linearWeight(A, dim, `${n}.value.weight`),
          output: params.linearWeight(dim, A, `${n}.output.weight`),
          gate: params.linearWeight(A, dim, `${n}.gate.weight`),
          lnW: params.ones([A], `${n}.ln_x.weight`),
          lnB: params.zeros([A], `${n}.ln_x.bias`),
        };
        return rwkv5TimeForward(g, x, p, s);
      }
      const oneMinus = (power: number): Float32Array => rwkvInit.mix(dim, power).map((v) => 1 - v);
      const p: Rwkv6TimeParams = {
        maaX: raw([1, 1, dim], 'time_maa_x', oneMinus(1)),
        maaW: raw([1, 1, dim], 'time_maa_w', oneMinus(1)),
        maaK: raw([1, 1, dim], 'time_maa_k', oneMinus(1)),
        maaV: raw([1, 1, dim], 'time_maa_v', oneMinus(1)),
        maaR: raw([1, 1, dim], 'time_maa_r', oneMinus(0.5)),
        maaG: raw([1, 1, dim], 'time_maa_g', oneMinus(0.5)),
        maaW1: small([dim, 5 * RWKV6_MIX_RANK], 'time_maa_w1'),
        maaW2: small([5, RWKV6_MIX_RANK, dim], 'time_maa_w2'),
        decay: raw([1, 1, A], 'time_decay', rwkvInit.decay(A)),
        decayW1: small([dim, RWKV6_DECAY_RANK], 'time_decay_w1'),
        decayW2: small([RWKV6_DECAY_RANK, A], 'time_decay_w2'),
        bonus: raw([s.heads, s.headDim], 'time_faaaa', rwkvInit.bonus(A)),
        receptance: params.linearWeight(A, dim, `${n}.receptance.weight`),
        key: params.linearWeight(A, dim, `${n}.key.weight`),
        value: params.linearWeight(A, dim, `${n}.value.weight`),
        output: params.linearWeight(dim, A, `${n}.output.weight`),
        gate: params.linearWeight(A, dim, `${n}.gate.weight`),
        lnW: params.ones([A], `${n}.ln_x.weight`),
        lnB: params.zeros([A], `${n}.ln_x.bias`),
      };
      return rwkv6TimeForward(g, x, p, s);
    },
    stateSize(config) {
      const s = readShape(name, config);
      return s.heads * s.headDim * s.headDim;
    },
  };
}

export const rwkv5TimeMixerLayer = makeRwkvTimeMixerLayer(5);
export const rwkv6TimeMixerLayer = makeRwkvTimeMixerLayer(6);
