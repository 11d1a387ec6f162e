// Share-link format v1 (the first one; MAD Lab 0.1): JSON with short keys, written as base64url.
//
//   { a: 'mH-Sg-mA-Sg',            layer shorthands, mad-lab's model id
//     d?: 64,                      dim, absent when 128
//     c?: { '2': { n_heads: 4 } }, config overrides by layer index (present exactly when the layer has `config`)
//     b?, n?, i?: backbone, norm, init (present exactly when the spec sets them)
//     nm?: 'My model',             name
//     r?: { s?: setting | g?: task shorthand | p?: profile,   what to run on (exactly one)
//           h?: training } }       hyper-parameters that were set, by mad-lab's short names
//
// A setting lists only the fields that differ from MADConfig's defaults (t always), keyed by
// mad-lab's directory-name shorthands. Numbers are JSON numbers, which JavaScript writes as the
// shortest text that reads back to the same double, so floats round-trip exactly.
//
// Frozen: links written in this format must keep opening. A change of format is a new file
// (linkFormatV2.ts) and a new entry in urlCodec's decoder table; this one stays as is, and only
// its output is migrated if the ArchitectureSpec itself changes version. The encoder writes
// today's specs (version 1) only.

import type { ProtocolName } from '../config/protocols.ts';
import { sizeProblem } from '../config/sizePolicy.ts';
import type { ArchitectureSpec } from '../model/architecture.ts';
import { layerDefinition, LAYERS } from '../layers/registry.ts';
import { TASK_NAMES, TASK_SHORTHAND, type TaskSetting } from '../tasks/types.ts';
import type { TrainingHyperparameters } from '../train/types.ts';
import { ShareLinkError } from './shareLinkError.ts';
import type { RunSelection, ShareRun, ShareState } from './shareState.ts';

const DEFAULT_DIM = 128;

type SettingField = Exclude<keyof TaskSetting, 'task'>;

/**
 * MADConfig's defaults as v1 omits them: a frozen copy, so that a later change of the app's
 * defaults cannot change what an old link means.
 */
const SETTING_DEFAULTS: Readonly<Record<SettingField, number | boolean>> = {
  vocabSize: 16,
  seqLen: 128,
  numTrainExamples: 12_800,
  numTestExamples: 1_280,
  fracNoise: 0,
  noiseVocabSize: 0,
  numTokensToCopy: 0,
  kMotifSize: 1,
  vMotifSize: 1,
  multiQuery: true,
  seed: 12_345,
};

const SETTING_SHORT: Record<SettingField, string> = {
  vocabSize: 'vs',
  seqLen: 'sl',
  numTrainExamples: 'ntr',
  numTestExamples: 'nte',
  kMotifSize: 'km',
  vMotifSize: 'vm',
  multiQuery: 'mq',
  fracNoise: 'fn',
  noiseVocabSize: 'nvs',
  numTokensToCopy: 'ntc',
  seed: 's',
};

const TRAINING_SHORT: Record<keyof TrainingHyperparameters, string> = {
  lr: 'lr',
  weightDecay: 'wd',
  epochs: 'e',
  batchSize: 'bs',
  scheduler: 'sch',
  minLr: 'mlr',
  earlyStop: 'es',
  stopPatience: 'sp',
  plateauPatience: 'pp',
  plateauFactor: 'pf',
  seed: 's',
};

type Json = Record<string, unknown>;

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function malformed(detail: string): ShareLinkError {
  return new ShareLinkError('malformed', `This link's data is damaged (${detail}); copy the whole link again.`);
}

function onlyKeys(where: string, value: Json, allowed: readonly string[]): void {
  const unknown = Object.keys(value).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) throw malformed(`${where} has unknown field${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`);
}

function invert<K extends string>(table: Record<K, string>): Map<string, K> {
  return new Map(Object.entries(table).map(([field, short]) => [short as string, field as K]));
}
const SETTING_FIELD = invert(SETTING_SHORT);
const TRAINING_FIELD = invert(TRAINING_SHORT);

// ─── encode ──────────────────────────────────────────────────────────────────────────────────

function encodeSetting(setting: TaskSetting): Json {
  const out: Json = { t: TASK_SHORTHAND[setting.task] };
  for (const [field, short] of Object.entries(SETTING_SHORT) as [SettingField, string][]) {
    if (setting[field] !== SETTING_DEFAULTS[field]) out[short] = setting[field];
  }
  return out;
}

function encodeRun(run: ShareRun): Json {
  const out: Json = {};
  const selection = run.selection;
  if (selection.kind === 'setting') out.s = encodeSetting(selection.setting);
  else if (selection.kind === 'task-grid') out.g = TASK_SHORTHAND[selection.task];
  else out.p = selection.profile;
  if (run.training !== undefined) {
    const h: Json = {};
    for (const [field, value] of Object.entries(run.training)) h[TRAINING_SHORT[field as keyof TrainingHyperparameters]] = value;
    out.h = h;
  }
  return out;
}

/** The v1 JSON text of a valid state. */
export function encodeV1(state: ShareState): string {
  const spec = state.architecture;
  const compact: Json = { a: spec.layers.map((l) => layerDefinition(l.type).shorthand).join('-') };
  if (spec.dim !== DEFAULT_DIM) compact.d = spec.dim;
  const overrides: Json = {};
  spec.layers.forEach((layer, i) => {
    if (layer.config !== undefined) overrides[String(i)] = layer.config;
  });
  if (Object.keys(overrides).length > 0) compact.c = overrides;
  if (spec.backbone !== undefined) compact.b = spec.backbone;
  if (spec.norm !== undefined) compact.n = spec.norm;
  if (spec.init !== undefined) compact.i = spec.init;
  if (spec.name !== undefined) compact.nm = spec.name;
  if (state.run !== undefined) compact.r = encodeRun(state.run);
  return JSON.stringify(compact);
}

// ─── decode ──────────────────────────────────────────────────────────────────────────────────

function taskOfShorthand(short: unknown, where: string): TaskSetting['task'] {
  const task = TASK_NAMES.find((name) => TASK_SHORTHAND[name] === short);
  if (task === undefined) {
    throw new ShareLinkError('invalid', `This link names an unknown task ${JSON.stringify(short)} in ${where} (known: ${Object.values(TASK_SHORTHAND).join(', ')}).`);
  }
  return task;
}

function decodeSetting(value: unknown): TaskSetting {
  if (!isRecord(value)) throw malformed('the run setting is not an object');
  onlyKeys('the run setting', value, ['t', ...Object.values(SETTING_SHORT)]);
  const setting: Record<string, unknown> = { ...SETTING_DEFAULTS, task: taskOfShorthand(value.t, 'its run setting') };
  for (const [short, v] of Object.entries(value)) {
    const field = SETTING_FIELD.get(short);
    if (field !== undefined) setting[field] = v;
  }
  return setting as unknown as TaskSetting;
}

function decodeRun(value: unknown): ShareRun {
  if (!isRecord(value)) throw malformed('the run is not an object');
  onlyKeys('the run', value, ['s', 'g', 'p', 'h']);
  const given = ['s', 'g', 'p'].filter((k) => value[k] !== undefined);
  if (given.length !== 1) throw malformed('the run must name exactly one of a setting, a task grid or a protocol');
  let selection: RunSelection;
  if (value.s !== undefined) selection = { kind: 'setting', setting: decodeSetting(value.s) };
  else if (value.g !== undefined) selection = { kind: 'task-grid', task: taskOfShorthand(value.g, 'its run') };
  else selection = { kind: 'protocol', profile: value.p as ProtocolName };
  if (value.h === undefined) return { selection };
  if (!isRecord(value.h)) throw malformed('the training hyper-parameters are not an object');
  onlyKeys('the training hyper-parameters', value.h, [...TRAINING_FIELD.keys()]);
  const training: Record<string, unknown> = {};
  for (const [short, v] of Object.entries(value.h)) training[TRAINING_FIELD.get(short)!] = v;
  return { selection, training: training as Partial<TrainingHyperparameters> };
}

/**
 * The state a v1 JSON value describes. Throws ShareLinkError 'malformed' when the value does not
 * have v1's shape and 'invalid' for an unknown layer or task shorthand; the caller validates the
 * result (types and ranges of every field) with validateShareState.
 */
export function decodeV1(value: unknown): ShareState {
  if (!isRecord(value)) throw malformed('expected an object');
  onlyKeys('the architecture', value, ['a', 'd', 'c', 'b', 'n', 'i', 'nm', 'r']);
  if (typeof value.a !== 'string') throw malformed('the layer list is missing');
  const shorthands = value.a === '' ? [] : value.a.split('-');
  // The size policy's layer cap, before a layer is built: a short link can list thousands.
  const tooMany = sizeProblem('layers', shorthands.length, 'architecture');
  if (tooMany !== null) throw new ShareLinkError('invalid', `This link describes a model over the size limits: ${tooMany.message}`);
  const layers = shorthands.map((short): ArchitectureSpec['layers'][number] => {
    const definition = LAYERS.find((d) => d.shorthand === short);
    if (definition === undefined) {
      throw new ShareLinkError('invalid', `This link uses an unknown layer ${JSON.stringify(short)} (known: ${LAYERS.map((d) => d.shorthand).join(', ')}).`);
    }
    return { type: definition.name };
  });
  if (value.c !== undefined) {
    if (!isRecord(value.c)) throw malformed('the layer overrides are not an object');
    for (const [index, config] of Object.entries(value.c)) {
      const layer = /^(0|[1-9]\d*)$/.test(index) ? layers[Number(index)] : undefined;
      if (layer === undefined) throw malformed(`overrides for layer ${JSON.stringify(index)}, which the model does not have`);
      layer.config = config as ArchitectureSpec['layers'][number]['config'];
    }
  }
  // v1 links carry ArchitectureSpec version 1. Should the spec's version change, validation
  // refuses these until urlCodec migrates decodeV1's output (the frozen-link tests say so).
  const spec: Record<string, unknown> = { version: 1, dim: value.d === undefined ? DEFAULT_DIM : value.d, layers };
  if (value.nm !== undefined) spec.name = value.nm;
  if (value.b !== undefined) spec.backbone = value.b;
  if (value.n !== undefined) spec.norm = value.n;
  if (value.i !== undefined) spec.init = value.i;
  const state: ShareState = { architecture: spec as unknown as ArchitectureSpec };
  if (value.r !== undefined) state.run = decodeRun(value.r);
  return state;
}
