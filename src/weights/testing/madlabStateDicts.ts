// The names and shapes mad-lab's `state_dict()` holds, written by hand from mad-lab's source
// (github.com/athms/mad-lab) — never from our code — so the exporter is checked against mad-lab
// itself. Read at commit 6e7e4c903b7d4d1a31d12186b709f36fa3184041 for mad/model/layers/**, and at
// 1f77b94127309e9f3e0280fe73d6079ba3eaf3eb for mad/model/language_model.py (the stored copies; the
// protocol follows 0f49a45, mad-lab's last commit; these files are the ones that commit ships as far
// as the stored history shows). Each module cites file:line of the lines that create its tensors.
// Widths are MAD's defaults at d = 128 (configs/layers/*.yml, mad-lab's own ymls).

const D = 128;

/** name → shape. */
export type StateDict = Record<string, number[]>;

const put = (out: StateDict, prefix: string, entries: Record<string, number[]>): void => {
  for (const [name, shape] of Object.entries(entries)) out[`${prefix}${name}`] = shape;
};

// mad/model/layers/ops/norm/rmsnorm.py, class RMSNorm: `self.weight = Parameter(empty(hidden_size))`,
// `register_parameter("bias", None)` — a weight alone.
const rmsNorm = (out: StateDict, p: string): void => put(out, p, { weight: [D] });

/** One module per registry name: its tensors under `p` (the block's layer prefix, ending in '.'). */
export const MADLAB_LAYERS: Record<string, (out: StateDict, p: string, maxLength: number) => void> = {
  // mad/model/layers/mlp.py:29-30 Mlp: fc = Linear(dim, 4·dim), proj = Linear(4·dim, dim); mlp.yml bias false.
  mlp: (out, p) => put(out, p, { 'fc.weight': [4 * D, D], 'proj.weight': [D, 4 * D] }),
  // mad/model/layers/mlp.py:69-74 GLU (SwiGLU): inner int(2·128·4/3) = 341 → multiple of 16 = 352; bias false.
  swiglu: (out, p) => put(out, p, { 'w1.weight': [352, D], 'w2.weight': [352, D], 'w3.weight': [D, 352] }),
  // mad/model/layers/mlp.py:141-149 MoeMlp: dim_inner 16 × 8 experts; router with bias; gates [8, 16].
  'moe-mlp': (out, p) =>
    put(out, p, { 'up1.weight': [128, D], 'up2.weight': [128, D], 'down1.weight': [D * 8, 128], 'router.weight': [8, D], 'router.bias': [8], gates: [8, 16] }),
  // mad/model/layers/attention.py:5 Attention(MHA) → flash_attn/modules/mha.py MHA: Wqkv = Linear(d, 3d, bias),
  // out_proj = Linear(d, d, bias); the rotary embedding's inv_freq is a non-persistent buffer (not in state_dict).
  'mh-attention': (out, p) => put(out, p, { 'Wqkv.weight': [3 * D, D], 'Wqkv.bias': [3 * D], 'out_proj.weight': [D, D], 'out_proj.bias': [D] }),
  'mh-sliding-attention': (out, p, L) => MADLAB_LAYERS['mh-attention']!(out, p, L),
  // mad/model/layers/hyena.py:197 short_filter Conv1d(3I, 3I, 3, groups=3I) → [3I, 1, 3]; :207 long_conv = HyenaConv
  // (:40 bias [width], :47 filter = HyenaFilter); :218 out_proj Linear(I, d); :219 in_proj Linear(d, 3I/proj_groups).
  // hyena.yml: inner_factor 4 → I = 512, proj_groups 4, filter order 4; width = head_dim·(order−1) = 512.
  hyena: (out, p, L) => hyenaOperator(out, p, L, { inProj: 384, channels: 1536, width: 512, order: 4, outIn: 512 }),
  // mad/model/layers/hyena.py:289 MultiHeadHyenaOperator re-assigns long_conv = MultiHeadHyenaConv(head_dim·(order−1));
  // mh-hyena.yml: inner_factor 1 → I = 128, proj_groups 4 inherited → in_proj 96, num_heads 16 → head_dim 8; order 2.
  'mh-hyena': (out, p, L) => hyenaOperator(out, p, L, { inProj: 96, channels: 384, width: 8, order: 2, outIn: 128 }),
  // mad/model/layers/hyena.py:402 in_proj Linear(d, 3·16·8), :403 out_proj Linear(16, d), :404 short_filter [384, 1, 3],
  // :413 router Linear(d, 8); long_conv from HyenaOperator (:207), width head_dim = 128; filter order 16.
  'hyena-experts': (out, p, L) => {
    hyenaOperator(out, p, L, { inProj: 384, channels: 384, width: 128, order: 16, outIn: 16 });
    put(out, p, { 'router.weight': [8, D], 'router.bias': [8] });
  },
  // mad/model/layers/mamba.py:67 in_proj Linear(d, 2·256, bias False); :69 conv1d Conv1d(256, 256, 4, groups 256, bias) →
  // [256, 1, 4]; :82 x_proj Linear(256, dt_rank 8 + 2·d_state); :85 dt_proj Linear(8, 256, bias); :115 A_log [256, d_state];
  // :119 D [256]; :122 out_proj Linear(256, d, bias False). mamba.yml: d_state 4.
  mamba: (out, p) => mamba(out, p, 4),
  // mad/model/layers/attention_linear.py:68-71 proj_q/k/v Linear(d, d), out_proj Linear(d, d), no bias; :102-103 two
  // HadamardFeatureMaps (tie_feature_map_qk false) of head_dim 128/16 = 8, each
  // mad/model/layers/featurization/feature_map.py:105-106 layer1, layer2 = Linear(8, 8) with bias.
  'mh-linear-attention': (out, p) => {
    for (const map of ['feature_map_q', 'feature_map_k']) {
      put(out, `${p}${map}.`, { 'layer1.weight': [8, 8], 'layer1.bias': [8], 'layer2.weight': [8, 8], 'layer2.bias': [8] });
    }
    put(out, p, { 'proj_q.weight': [D, D], 'proj_k.weight': [D, D], 'proj_v.weight': [D, D], 'out_proj.weight': [D, D] });
  },
  // mad/model/layers/attention_gated_linear.py:52-55 q/k/v/g_proj Linear(d, d) no bias; :57-58 gk_proj = Sequential(
  // Linear(d, 16, no bias), Linear(16, d, bias)); :59 o_proj; :66 g_norm = RMSNorm(head_v_dim 128/8 = 16)
  // (fuse_norm false in mh-gated-linear-attention.yml).
  'mh-gated-linear-attention': (out, p) =>
    put(out, p, {
      'q_proj.weight': [D, D],
      'k_proj.weight': [D, D],
      'v_proj.weight': [D, D],
      'g_proj.weight': [D, D],
      'gk_proj.0.weight': [16, D],
      'gk_proj.1.weight': [D, 16],
      'gk_proj.1.bias': [D],
      'o_proj.weight': [D, D],
      'g_norm.weight': [16],
    }),
  // mad/model/layers/rwkv/rwkv5.py:150-153 time_mix_k/v/r/g [1, 1, d]; :159 time_decay [8, 16]; :166 time_faaaa [8, 16];
  // :169-174 receptance, key, value, output, gate Linear(128, 128) no bias; :175 ln_x GroupNorm(8, 128) (weight, bias).
  'rwkv5-time-mixer': (out, p) =>
    put(out, p, {
      time_mix_k: [1, 1, D],
      time_mix_v: [1, 1, D],
      time_mix_r: [1, 1, D],
      time_mix_g: [1, 1, D],
      time_decay: [8, 16],
      time_faaaa: [8, 16],
      ...rwkvTimeLinears(),
    }),
  // mad/model/layers/rwkv/rwkv5.py:264-265 time_mix_k/r [1, 1, d]; :267-269 key Linear(d, 512), receptance Linear(d, d), value Linear(512, d).
  'rwkv5-channel-mixer': (out, p) => put(out, p, { time_mix_k: [1, 1, D], time_mix_r: [1, 1, D], ...rwkvChannelLinears() }),
  // mad/model/layers/rwkv/rwkv6.py:148-153 time_maa_x/w/k/v/r/g [1, 1, d]; :156-157 time_maa_w1 [d, 160], time_maa_w2
  // [5, 32, d]; :163 time_decay [1, 1, 128]; :166-167 time_decay_w1 [d, 64], time_decay_w2 [64, 128]; :174 time_faaaa
  // [8, 16]; :177-182 the five Linears; :183 ln_x GroupNorm(8, 128).
  'rwkv6-time-mixer': (out, p) =>
    put(out, p, {
      time_maa_x: [1, 1, D],
      time_maa_w: [1, 1, D],
      time_maa_k: [1, 1, D],
      time_maa_v: [1, 1, D],
      time_maa_r: [1, 1, D],
      time_maa_g: [1, 1, D],
      time_maa_w1: [D, 160],
      time_maa_w2: [5, 32, D],
      time_decay: [1, 1, D],
      time_decay_w1: [D, 64],
      time_decay_w2: [64, D],
      time_faaaa: [8, 16],
      ...rwkvTimeLinears(),
    }),
  // mad/model/layers/rwkv/rwkv6.py:282-283 time_maa_k/r [1, 1, d]; :285-287 key, receptance, value.
  'rwkv6-channel-mixer': (out, p) => put(out, p, { time_maa_k: [1, 1, D], time_maa_r: [1, 1, D], ...rwkvChannelLinears() }),
};

function rwkvTimeLinears(): Record<string, number[]> {
  return {
    'receptance.weight': [D, D],
    'key.weight': [D, D],
    'value.weight': [D, D],
    'output.weight': [D, D],
    'gate.weight': [D, D],
    'ln_x.weight': [D],
    'ln_x.bias': [D],
  };
}

const rwkvChannelLinears = (): Record<string, number[]> => ({ 'key.weight': [512, D], 'receptance.weight': [D, D], 'value.weight': [D, 512] });

function mamba(out: StateDict, p: string, state: number): void {
  put(out, p, {
    'in_proj.weight': [512, D],
    'conv1d.weight': [256, 1, 4],
    'conv1d.bias': [256],
    'x_proj.weight': [8 + 2 * state, 256],
    'dt_proj.weight': [256, 8],
    'dt_proj.bias': [256],
    A_log: [256, state],
    D: [256],
    'out_proj.weight': [D, 256],
  });
}

function hyenaOperator(out: StateDict, p: string, L: number, s: { inProj: number; channels: number; width: number; order: number; outIn: number }): void {
  put(out, p, {
    'in_proj.weight': [s.inProj, D],
    'in_proj.bias': [s.inProj],
    'short_filter.weight': [s.channels, 1, 3],
    'short_filter.bias': [s.channels],
    'long_conv.bias': [s.width],
    'out_proj.weight': [D, s.outIn],
    'out_proj.bias': [D],
  });
  // mad/model/layers/featurization/hyena_filter.py: :119 pos_emb = PositionalEmbedding (:61 z [1, L, 3] a parameter,
  // :62 t [1, L, 1] a buffer, lr 0); :141-146 implicit_filter = Sequential(Linear(3, o), act, Linear(o, o), act,
  // Linear(o, o), act, Linear(o, width, bias False)) with ONE act = Sin (:115; :27-33 freq [1, o]) at positions 1, 3, 5;
  // :148 modulation = ExponentialModulation (:83-84 deltas [1, 1, width], a buffer, modulation_lr 0).
  const o = s.order;
  put(out, `${p}long_conv.filter.`, {
    'pos_emb.z': [1, L, 3],
    'pos_emb.t': [1, L, 1],
    'implicit_filter.0.weight': [o, 3],
    'implicit_filter.0.bias': [o],
    'implicit_filter.1.freq': [1, o],
    'implicit_filter.2.weight': [o, o],
    'implicit_filter.2.bias': [o],
    'implicit_filter.3.freq': [1, o],
    'implicit_filter.4.weight': [o, o],
    'implicit_filter.4.bias': [o],
    'implicit_filter.5.freq': [1, o],
    'implicit_filter.6.weight': [s.width, o],
    'modulation.deltas': [1, 1, s.width],
  });
}

/** Variants a preset sets through overrides (configs/presets/mamba-state-16.yml: d_state 16). */
export function madlabLayer(type: string, config: Record<string, unknown> | undefined): ((out: StateDict, p: string, L: number) => void) | undefined {
  if (type === 'mamba' && config?.d_state !== undefined) return (out, p) => mamba(out, p, config.d_state as number);
  if (config !== undefined && Object.keys(config).length > 0) return undefined;
  return MADLAB_LAYERS[type];
}

/**
 * mad/model/language_model.py (1f77b94): :41 token_embeds = Embedding(V, d); :50-53 each block
 * Sequential(OrderedDict(norm, layer)) → `model.{i}.norm.*`, `model.{i}.layer.*`; :55-58 unembed =
 * Sequential(OrderedDict(norm, lm_head = Linear(d, V))) → `unembed.norm.*`, `unembed.lm_head.*`.
 */
export function languageModelStateDict(layers: readonly { type: string; config?: Record<string, unknown> }[], vocab: number, maxLength: number): StateDict {
  const out: StateDict = { 'token_embeds.weight': [vocab, D] };
  layers.forEach((layer, i) => {
    rmsNorm(out, `model.${i}.norm.`);
    const module = madlabLayer(layer.type, layer.config);
    if (!module) throw new Error(`no mad-lab module for '${layer.type}' in the fixture`);
    module(out, `model.${i}.layer.`, maxLength);
  });
  rmsNorm(out, 'unembed.norm.');
  put(out, 'unembed.lm_head.', { weight: [vocab, D], bias: [vocab] });
  return out;
}

/**
 * mad/model/auto_encoder.py: :45 token_embeds; :56 encoder blocks Sequential(norm, layer) → `encoder.{i}.0/1`;
 * :63-70 decoder = Sequential(norm, Linear(d, d), GELU, norm, Linear(d, d), GELU) → 0, 1, 3, 4;
 * :72 unembed = Sequential(norm, Linear(d, V)) → 0, 1. dec_position_embeds (:50) is a plain tensor attribute, not state.
 */
export function autoEncoderStateDict(layers: readonly { type: string; config?: Record<string, unknown> }[], vocab: number, maxLength: number): StateDict {
  const out: StateDict = { 'token_embeds.weight': [vocab, D] };
  layers.forEach((layer, i) => {
    rmsNorm(out, `encoder.${i}.0.`);
    const module = madlabLayer(layer.type, layer.config);
    if (!module) throw new Error(`no mad-lab module for '${layer.type}' in the fixture`);
    module(out, `encoder.${i}.1.`, maxLength);
  });
  rmsNorm(out, 'decoder.0.');
  put(out, 'decoder.1.', { weight: [D, D], bias: [D] });
  rmsNorm(out, 'decoder.3.');
  put(out, 'decoder.4.', { weight: [D, D], bias: [D] });
  rmsNorm(out, 'unembed.0.');
  put(out, 'unembed.1.', { weight: [vocab, D], bias: [vocab] });
  return out;
}
