// Our parameter labels ↔ the names and shapes mad-lab's `state_dict()` holds for the same model
// (docs/weights.md), so weights trained here load with `load_state_dict(strict=True)` into the model
// mad-lab's make_model_fn builds (src/share/madlabExport.ts), and a mad-lab state dict loads here.
//
// Our layers already label their parameters with mad-lab's module names (src/layers/*); what
// differs, and is mapped here:
//   - the backbone's prefixes (LanguageModel: `model.{i}.norm`/`model.{i}.layer`, `unembed.norm`/
//     `unembed.lm_head`; AutoEncoder: nn.Sequential indices `encoder.{i}.0/1`, `decoder.0/1/3/4`,
//     `unembed.0/1`);
//   - size-1 dimensions mad-lab keeps and we drop: depthwise Conv1d weights [C, 1, K] (Hyena's short
//     filter, Mamba's conv1d), Hyena's z [1, L, 3] and Sin frequency [1, o];
//   - Hyena's filter lives under `long_conv.filter` and its skip weight is `long_conv.bias`; the one
//     Sin module is shared by three positions of the filter's nn.Sequential, so its frequency is one
//     tensor under three names (`implicit_filter.1/.3/.5.freq`);
//   - the MLP's Linears are mad-lab's `fc`/`proj` (ours `fc1`/`fc2`);
//   - a tied linear-attention feature map is one module under two names (`feature_map_q`, `_k`);
//   - buffers mad-lab's state_dict holds and we compute instead: Hyena's `pos_emb.t` and
//     `modulation.deltas`.
// The shape changes only insert size-1 dimensions, so a tensor's bytes are the same on both sides.
// Layers mad-lab lacks (src/share/madlabExport.ts) keep our labels, and the naming says which.

import { resolveArchitecture, type ArchitectureSpec, type ResolvedArchitecture } from '../model/architecture.ts';
import { madlabRefusal } from '../share/madlabExport.ts';
import type { ParameterLayout, ParameterSlot } from './parameterLayout.ts';

/** One parameter of ours and the name(s) and shape it has in the file. */
export interface NamedParameter {
  slot: ParameterSlot;
  /** Names in the file. Several when mad-lab holds one shared tensor under several names; the first is canonical. */
  names: string[];
  fileShape: number[];
}

/** A tensor mad-lab's state_dict holds that is not a parameter here (a buffer we compute). */
export interface FixedTensor {
  name: string;
  shape: number[];
  values: Float32Array;
}

export interface WeightsNaming {
  parameters: NamedParameter[];
  buffers: FixedTensor[];
  /** Layers mad-lab has no implementation of, exported under our labels. */
  unmappedLayers: { index: number; type: string }[];
}

/** The prefixes of mad-lab's backbones (mad/model/language_model.py, mad/model/auto_encoder.py). */
const LANGUAGE_MODEL_NAMES = {
  embedding: 'token_embeds.weight',
  blockNorm: (i: number) => `model.${i}.norm`,
  blockLayer: (i: number) => `model.${i}.layer`,
  finalNorm: 'unembed.norm',
  head: 'unembed.lm_head',
};
const AUTOENCODER_NAMES = {
  embedding: 'token_embeds.weight',
  blockNorm: (i: number) => `encoder.${i}.0`,
  blockLayer: (i: number) => `encoder.${i}.1`,
  /** Our decoder.{k}.norm / decoder.{k}.linear → mad-lab's decoder Sequential (GELUs at 2 and 5) and unembed. */
  decoder: [
    { norm: 'decoder.0', linear: 'decoder.1' },
    { norm: 'decoder.3', linear: 'decoder.4' },
    { norm: 'unembed.0', linear: 'unembed.1' },
  ],
};

const HYENA_FAMILY = new Set(['hyena', 'mh-hyena', 'hyena-experts']);
const HYENA_FREQ_POSITIONS = [1, 3, 5];

/** A depthwise Conv1d weight: ours [C, K], mad-lab's [C, 1, K]. */
const conv1dShape = (shape: readonly number[]): number[] => [shape[0]!, 1, shape[1]!];

/** The file names and shape of one parameter inside a layer (`rest`: the label after the layer's prefix). */
function layerParameterNames(type: string, config: Record<string, unknown>, rest: string, shape: readonly number[]): { names: string[]; fileShape: number[] } {
  const same = { names: [rest], fileShape: [...shape] };
  if (type === 'mlp') return { names: [rest.replace(/^fc1\./, 'fc.').replace(/^fc2\./, 'proj.')], fileShape: [...shape] };
  if (type === 'mamba' && rest === 'conv1d.weight') return { names: [rest], fileShape: conv1dShape(shape) };
  if ((type === 'linear-attention' || type === 'mh-linear-attention') && config.tie_feature_map_qk === true && rest.startsWith('feature_map_q.')) {
    return { names: [rest, rest.replace(/^feature_map_q\./, 'feature_map_k.')], fileShape: [...shape] };
  }
  if (HYENA_FAMILY.has(type)) {
    if (rest === 'short_filter.weight') return { names: [rest], fileShape: conv1dShape(shape) };
    if (rest === 'filter_fn.bias') return { names: ['long_conv.bias'], fileShape: [...shape] };
    if (rest === 'filter_fn.pos_emb.z') return { names: ['long_conv.filter.pos_emb.z'], fileShape: [1, ...shape] };
    if (rest === 'filter_fn.implicit_filter.1.freq') {
      return { names: HYENA_FREQ_POSITIONS.map((p) => `long_conv.filter.implicit_filter.${p}.freq`), fileShape: [1, ...shape] };
    }
    if (rest.startsWith('filter_fn.')) return { names: [`long_conv.filter.${rest.slice('filter_fn.'.length)}`], fileShape: [...shape] };
  }
  return same;
}

/** Hyena's buffers (mad/model/layers/featurization/hyena_filter.py): t = linspace(0, 1, L), deltas = linspace(ln(1e-2)/1.5, ln(1e-2)/0.3, width). */
function hyenaBuffers(prefix: string, maxLength: number, width: number): FixedTensor[] {
  const t = Float32Array.from({ length: maxLength }, (_, i) => (maxLength > 1 ? i / (maxLength - 1) : 0));
  const lo = Math.log(1e-2) / 1.5;
  const hi = Math.log(1e-2) / 0.3;
  const deltas = Float32Array.from({ length: width }, (_, c) => (width > 1 ? lo + ((hi - lo) * c) / (width - 1) : lo));
  return [
    { name: `${prefix}long_conv.filter.pos_emb.t`, shape: [1, maxLength, 1], values: t },
    { name: `${prefix}long_conv.filter.modulation.deltas`, shape: [1, 1, width], values: deltas },
  ];
}

const LAYER_LABEL = /^layers\.(\d+)\.(.+)$/;

/** Every parameter of `layout` with its names and shape in a mad-lab state dict, plus the buffers mad-lab's holds. */
export function madlabNaming(architecture: ArchitectureSpec | ResolvedArchitecture, layout: ParameterLayout): WeightsNaming {
  const { spec, layers } = resolveArchitecture(architecture);
  const ae = layout.backbone === 'autoencoder';
  const backbone = ae ? AUTOENCODER_NAMES : LANGUAGE_MODEL_NAMES;
  const lacking = (type: string): boolean => madlabRefusal({ ...spec, layers: [{ type }] }) !== null;
  const unmappedLayers = layers.flatMap(({ definition }, index) => (lacking(definition.name) ? [{ index, type: definition.name }] : []));
  const buffers: FixedTensor[] = [];
  const parameters = layout.slots.map((slot): NamedParameter => {
    const named = (names: string[], fileShape: number[] = [...slot.shape]): NamedParameter => ({ slot, names, fileShape });
    const label = slot.label;
    if (label === 'embedding.weight') return named([backbone.embedding]);
    if (!ae && label.startsWith('final_norm.')) return named([`${LANGUAGE_MODEL_NAMES.finalNorm}.${label.slice('final_norm.'.length)}`]);
    if (!ae && label.startsWith('head.')) return named([`${LANGUAGE_MODEL_NAMES.head}.${label.slice('head.'.length)}`]);
    const decoder = /^decoder\.(\d)\.(norm|linear)\.(.+)$/.exec(label);
    if (ae && decoder) {
      const part = AUTOENCODER_NAMES.decoder[Number(decoder[1])]![decoder[2] as 'norm' | 'linear'];
      return named([`${part}.${decoder[3]}`]);
    }
    const layer = LAYER_LABEL.exec(label);
    if (!layer) throw new Error(`no mad-lab name for parameter '${label}'`);
    const i = Number(layer[1]);
    const within = layer[2]!;
    if (within.startsWith('norm.')) return named([`${backbone.blockNorm(i)}.${within.slice('norm.'.length)}`]);
    const { definition, config } = layers[i]!;
    const layerPrefix = `${definition.name}.`;
    if (!within.startsWith(layerPrefix)) throw new Error(`no mad-lab name for parameter '${label}'`);
    if (lacking(definition.name)) return named([label]);
    const rest = within.slice(layerPrefix.length);
    const { names, fileShape } = layerParameterNames(definition.name, config, rest, slot.shape);
    const prefix = `${backbone.blockLayer(i)}.`;
    if (HYENA_FAMILY.has(definition.name) && rest === 'filter_fn.implicit_filter.6.weight') {
      const z = layout.slots.find((s) => s.label === `layers.${i}.${definition.name}.filter_fn.pos_emb.z`);
      if (!z) throw new Error(`layer ${i} (${definition.name}) has a filter but no positional features`);
      buffers.push(...hyenaBuffers(prefix, z.shape[0]!, slot.shape[0]!));
    }
    return named(
      names.map((n) => prefix + n),
      fileShape,
    );
  });
  return { parameters, buffers, unmappedLayers };
}
