// mad-lab's RWKV channel mixers (docs/protocol.md §4.1), `rwkv5-channel-mixer` and `rwkv6-channel-mixer`:
//   x′ = tokenShift(x)   (x′_t = x_{t−1}, x′_0 = 0)
//   RWKV5: x_k = x·μ_k + x′·(1−μ_k),   μ_k[i] = μ_r[i] = i/d          (time_mix_k, time_mix_r)
//   RWKV6: x_k = x + (x′ − x)·m_k,      m_k[i] = m_r[i] = 1 − i/d      (time_maa_k, time_maa_r)
//   k = ReLU(W_k x_k)²,  y = σ(W_r x_r) ⊙ W_v k       (key d→inner, receptance d→d, value inner→d)
// The two versions compute the same function; each keeps its own parameter layout and init
// (layer_id 0 of mad-lab's single-layer instantiation: ratio_1_to_almost0 = 1). Each mix is one
// fused tokenShiftMix dispatch (shift included); sigmoid is fused into W_r's matmul epilogue.

import type { Graph } from '../../engine/graph.ts';
import { mul } from '../../engine/ops/binary/binary.ts';
import { linear } from '../../engine/ops/matmul/matmul.ts';
import { tokenShiftMix } from '../../engine/ops/tokenShiftMix/tokenShiftMix.ts';
import { unary } from '../../engine/ops/unary/unary.ts';
import type { Tensor } from '../../engine/tensor.ts';
import { checkKeys, readInteger } from '../configValues.ts';
import type { LayerConfig, LayerDefinition } from '../types.ts';

const KEYS = ['dim', 'dim_inner'] as const;

export type RwkvVersion = 5 | 6;

export interface RwkvChannelParams {
  /** RWKV5 time_mix_k / RWKV6 time_maa_k, [1, 1, d]. */
  mixK: Tensor;
  mixR: Tensor;
  key: Tensor; // [inner, d]
  receptance: Tensor; // [d, d]
  value: Tensor; // [d, inner]
}

/** x [B, T, d] → [B, T, d]. */
export function rwkvChannelMixerForward(g: Graph, x: Tensor, p: RwkvChannelParams, version: RwkvVersion): Tensor {
  const mode = version === 5 ? 'rwkv5' : 'rwkv6';
  const xk = tokenShiftMix(g, x, p.mixK, mode);
  const xr = tokenShiftMix(g, x, p.mixR, mode);
  const k = unary(g, 'relu-squared', linear(g, xk, p.key));
  const r = linear(g, xr, p.receptance, undefined, 'sigmoid');
  return mul(g, r, linear(g, k, p.value));
}

/** μ[i] = i/d (RWKV5) or m[i] = 1 − i/d (RWKV6). */
export function rwkvMixInit(version: RwkvVersion, d: number): Float32Array {
  return Float32Array.from({ length: d }, (_, i) => (version === 5 ? i / d : 1 - i / d));
}

function makeRwkvChannelMixerLayer(version: RwkvVersion): LayerDefinition {
  const name = `rwkv${version}-channel-mixer`;
  const mixName = version === 5 ? 'time_mix' : 'time_maa';
  return {
    name,
    shorthand: `R${version}c`,
    kind: 'channel-mixer',
    description: `RWKV${version} channel mixer: token shift, then σ(receptance) ⊙ value(ReLU(key)²), inner width 512.`,
    validate(config: LayerConfig) {
      checkKeys(name, config, KEYS);
      readInteger(name, config, 'dim');
      readInteger(name, config, 'dim_inner');
    },
    build(ctx, x, config) {
      const { g, params, dim } = ctx;
      const inner = readInteger(name, config, 'dim_inner');
      const init = rwkvMixInit(version, dim);
      const p: RwkvChannelParams = {
        mixK: params.raw([1, 1, dim], `${ctx.name}.${mixName}_k`, () => init.slice()),
        mixR: params.raw([1, 1, dim], `${ctx.name}.${mixName}_r`, () => init.slice()),
        key: params.linearWeight(inner, dim, `${ctx.name}.key.weight`),
        receptance: params.linearWeight(dim, dim, `${ctx.name}.receptance.weight`),
        value: params.linearWeight(dim, inner, `${ctx.name}.value.weight`),
      };
      return rwkvChannelMixerForward(g, x, p, version);
    },
    stateSize: (_config, dim) => dim, // the previous token's x
  };
}

export const rwkv5ChannelMixerLayer = makeRwkvChannelMixerLayer(5);
export const rwkv6ChannelMixerLayer = makeRwkvChannelMixerLayer(6);
