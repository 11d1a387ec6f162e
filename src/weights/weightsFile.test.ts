import { describe, expect, it } from 'vitest';
import { architectureFromLayers, type ArchitectureSpec } from '../model/architecture.ts';
import { loadPresets } from '../model/presets.ts';
import { initialParameterPool } from './parameterLayout.ts';
import { readSafetensors, writeSafetensors, type TensorToWrite } from './safetensors.ts';
import { autoEncoderStateDict, languageModelStateDict, madlabLayer } from './testing/madlabStateDicts.ts';
import { exportWeights, importWeights, modelWeights, type WeightsModel } from './weightsFile.ts';

const V = 16;
const L = 128;
const context = { vocabSize: V, maxLength: L };

const namesAndShapes = (bytes: Uint8Array): Record<string, number[]> =>
  Object.fromEntries(readSafetensors(bytes).tensors.map((t) => [t.name, t.shape]));
/** The first index where two arrays differ in their bits, or −1 (one number to compare: deep equality on 10⁵ elements is slow). */
function firstBitDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return i;
  return -1;
}
const sorted = (d: Record<string, number[]>): [string, number[]][] => Object.entries(d).sort(([a], [b]) => a.localeCompare(b));

/** Presets built only from layers the fixture has (mad-lab's layers, as the presets configure them). */
const madlabPresets = loadPresets().filter((p) => p.architecture.layers.every((l) => madlabLayer(l.type, l.config) !== undefined));

describe('weights under mad-lab names', () => {
  it('covers every preset but those with layers mad-lab lacks', () => {
    const others = loadPresets().filter((p) => !madlabPresets.includes(p)).map((p) => p.id).sort();
    expect(others).toEqual(['deltanet', 'gated-deltanet-hybrid', 'mamba2-attention']);
    expect(madlabPresets.length).toBe(15);
  });

  for (const preset of madlabPresets) {
    it(`${preset.id}: the export's names and shapes are mad-lab's, and export → import is bit-exact`, () => {
      const model: WeightsModel = { architecture: preset.architecture, context };
      const pool = initialParameterPool(preset.architecture, context, 7);
      const bytes = exportWeights(model, pool, 7);
      expect(sorted(namesAndShapes(bytes))).toEqual(sorted(languageModelStateDict(preset.architecture.layers, V, L)));
      const back = importWeights(model, bytes);
      expect(firstBitDifference(back.pool, pool)).toBe(-1);
      expect(back.seed).toBe(7);
    });
  }

  it('names the AutoEncoder as auto_encoder.py does, and round-trips it', () => {
    const architecture = presetArchitecture('striped-hyena');
    const model: WeightsModel = { architecture, context: { ...context, task: 'compression' } };
    const pool = initialParameterPool(architecture, model.context, 1);
    const bytes = exportWeights(model, pool, 1);
    expect(sorted(namesAndShapes(bytes))).toEqual(sorted(autoEncoderStateDict(architecture.layers, V, L)));
    expect(firstBitDifference(importWeights(model, bytes).pool, pool)).toBe(-1);
  });

  it('maps each parameter both ways: every file name reads back into the slot it was written from', () => {
    const architecture = presetArchitecture('striped-hyena-experts-moe');
    const { layout, naming } = modelWeights({ architecture, context });
    // A pool whose every float says which slot it belongs to: a mapping that swapped two tensors would show.
    const pool = new Float32Array(layout.poolFloats);
    layout.slots.forEach((s, i) => pool.fill(i + 1, s.offset, s.offset + s.size));
    const file = readSafetensors(exportWeights({ architecture, context }, pool, null));
    const byName = new Map(file.tensors.map((t) => [t.name, t]));
    naming.parameters.forEach((p, i) => {
      for (const name of p.names) expect(byName.get(name)!.data.every((v) => v === i + 1), name).toBe(true);
    });
    const filter = 'model.0.layer.long_conv.filter.';
    expect(naming.parameters.find((p) => p.slot.label === 'layers.0.hyena-experts.filter_fn.implicit_filter.1.freq')!.names).toEqual(
      [1, 3, 5].map((k) => `${filter}implicit_filter.${k}.freq`),
    );
    expect(naming.parameters.find((p) => p.slot.label === 'layers.0.hyena-experts.filter_fn.bias')!.names).toEqual(['model.0.layer.long_conv.bias']);
    expect([...byName.get(`${filter}pos_emb.t`)!.data.slice(0, 2)]).toEqual([0, Math.fround(1 / 127)]);
    expect(byName.get(`${filter}modulation.deltas`)!.data[0]).toBeCloseTo(Math.log(0.01) / 1.5, 6);
  });

  it("imports a mad-lab state dict: no metadata, BF16 tensors, shared Sin frequency stored once", () => {
    const architecture = presetArchitecture('rwkv6');
    const model = { architecture, context };
    const pool = initialParameterPool(architecture, context, 3);
    const file = readSafetensors(exportWeights(model, pool, 3));
    // mad-lab keeps its RWKV time mixers in bf16: write those as BF16 (truncated) and expect them widened.
    const rewritten = writeWithDtypes(file.tensors.map((t) => ({ ...t, bf16: t.name.startsWith('model.0.layer.time_') })));
    const back = importWeights(model, rewritten);
    expect(back.conversions).toEqual([expect.stringMatching(/^BF16 → F32 \(exact\): \d+ tensor\(s\)$/)]);
    const decay = modelWeights(model).layout.slots.find((s) => s.label === 'layers.0.rwkv6-time-mixer.time_decay')!;
    const truncated = (v: number): number => new Float32Array(new Uint32Array([new Uint32Array(Float32Array.of(v).buffer)[0]! & 0xffff0000]).buffer)[0]!;
    expect(back.pool[decay.offset]).toBe(truncated(pool[decay.offset]!));

    const hyena = presetArchitecture('hyena');
    const hyenaFile = readSafetensors(exportWeights({ architecture: hyena, context }, initialParameterPool(hyena, context, 3), 3));
    const once = hyenaFile.tensors.filter((t) => !/implicit_filter\.[35]\.freq$/.test(t.name));
    expect(() => importWeights({ architecture: hyena, context }, writeSafetensors(once, {}))).not.toThrow();
  });

  it('refuses, naming what is wrong: another architecture, a missing or extra tensor, a wrong shape, disagreeing copies', () => {
    const architecture = presetArchitecture('hyena');
    const model = { architecture, context };
    const file = readSafetensors(exportWeights(model, initialParameterPool(architecture, context, 2), 2));
    const mh = presetArchitecture('mh-hyena');
    expect(() => importWeights({ architecture: mh, context }, exportWeights(model, initialParameterPool(architecture, context, 2), 2), 'w.safetensors')).toThrow(
      /^w\.safetensors: its weights belong to another model \(architecture\.layers\[0\]\.type: the file has "hyena", the model has "mh-hyena"\)/,
    );
    const without = file.tensors.filter((t) => t.name !== 'model.1.layer.w3.weight');
    expect(() => importWeights(model, writeSafetensors(without, file.metadata))).toThrow(/tensor 'model\.1\.layer\.w3\.weight' is missing \(the model's layers\.1\.swiglu\.w3\.weight/);
    const extra = [...file.tensors, { name: 'model.9.norm.weight', shape: [128], data: new Float32Array(128) }];
    expect(() => importWeights(model, writeSafetensors(extra, file.metadata))).toThrow(/1 tensor\(s\) are not in the model: 'model\.9\.norm\.weight'/);
    const reshaped = file.tensors.map((t) => (t.name === 'model.0.layer.short_filter.weight' ? { ...t, shape: [1536, 3] } : t));
    expect(() => importWeights(model, writeSafetensors(reshaped, file.metadata))).toThrow(/'model\.0\.layer\.short_filter\.weight' has shape \[1536, 3\], the model needs \[1536, 1, 3\]/);
    const name5 = 'model.0.layer.long_conv.filter.implicit_filter.5.freq';
    const disagree = file.tensors.map((t) => (t.name === name5 ? { ...t, data: t.data.map((v) => v + 1) } : t));
    expect(() => importWeights(model, writeSafetensors(disagree, file.metadata))).toThrow(/'model\.0\.layer\.long_conv\.filter\.implicit_filter\.5\.freq' differs from '.*implicit_filter\.1\.freq'/);
    const otherVocab = { ...file.metadata, vocab_size: '32' };
    expect(() => importWeights(model, writeSafetensors(file.tensors, otherVocab))).toThrow(/vocab_size: the file has 32, the model has 16/);
  });

  it('exports layers mad-lab lacks under our labels and says so', () => {
    const architecture = architectureFromLayers(['delta-net', 'swiglu']);
    const model = { architecture, context };
    const pool = initialParameterPool(architecture, context, 4);
    const bytes = exportWeights(model, pool, 4);
    const { metadata, tensors } = readSafetensors(bytes);
    expect(metadata.unmapped_layers).toBe('0:delta-net');
    expect(metadata.names).toMatch(/unmapped layers, which keep MAD Lab names/);
    expect(tensors.some((t) => t.name.startsWith('layers.0.delta-net.'))).toBe(true);
    expect(tensors.some((t) => t.name === 'model.1.layer.w1.weight')).toBe(true);
    expect(firstBitDifference(importWeights(model, bytes).pool, pool)).toBe(-1);
  });

  it('names the MLP fc/proj and a tied feature map under both of its names', () => {
    const base = architectureFromLayers(['mlp', 'mh-linear-attention']);
    const architecture = { ...base, layers: [base.layers[0]!, { type: 'mh-linear-attention', config: { tie_feature_map_qk: true } }] };
    const names = Object.keys(namesAndShapes(exportWeights({ architecture, context }, initialParameterPool(architecture, context, 1), 1)));
    expect(names).toEqual(expect.arrayContaining(['model.0.layer.fc.weight', 'model.0.layer.proj.weight', 'model.1.layer.feature_map_q.layer1.weight', 'model.1.layer.feature_map_k.layer1.weight']));
  });
});

function presetArchitecture(id: string): ArchitectureSpec {
  return loadPresets().find((p) => p.id === id)!.architecture;
}

/** A safetensors file with some tensors stored as BF16 (truncated), as mad-lab's bf16 modules save them. */
function writeWithDtypes(tensors: (TensorToWrite & { bf16: boolean })[]): Uint8Array {
  const header: Record<string, unknown> = {};
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const t of tensors) {
    const bytes = t.bf16 ? new Uint8Array(Uint16Array.from(new Uint32Array(Float32Array.from(t.data).buffer), (u) => u >>> 16).buffer) : new Uint8Array(Float32Array.from(t.data).buffer);
    header[t.name] = { dtype: t.bf16 ? 'BF16' : 'F32', shape: t.shape, data_offsets: [offset, offset + bytes.length] };
    chunks.push(bytes);
    offset += bytes.length;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
