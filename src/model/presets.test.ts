import { describe, expect, it } from 'vitest';
import { modelId, validateArchitecture } from './architecture.ts';
import { countModel } from './counting.ts';
import { TASK_NAMES } from '../tasks/types.ts';
import { loadPresets, parsePreset, presetById } from './presets.ts';
import { loadPublishedScores, parsePublishedScores } from '../config/publishedScores.ts';

/** Spec §4.0's whole-model examples (V = 16, L = 128, RMSNorm, LanguageModel), by model id. */
const SPEC_TOTALS: Record<string, number> = {
  'mA-Sg-mA-Sg': 407_184,
  'H-Sg-H-Sg': 523_784,
  'mH-Sg-mH-Sg': 336_812,
  'Mb-Mb-Mb-Mb': 433_808,
  'mH-Sg-mA-Sg': 371_998,
  'mH-MoE-mA-MoE': 431_662,
  'mAlg-Sg-mAlg-Sg': 447_408,
};

/** The models the brief names from the paper (docs/protocol.md §9 and §5.1), by preset id. */
const PAPER_MODELS: Record<string, string> = {
  transformer: 'mA-Sg-mA-Sg',
  hyena: 'H-Sg-H-Sg',
  'mh-hyena': 'mH-Sg-mH-Sg',
  'striped-hyena': 'mH-Sg-mA-Sg',
  'striped-hyena-moe': 'mH-MoE-mA-MoE',
  'striped-hyena-experts-moe': 'He-MoE-mA-MoE',
  mamba: 'Mb-Mb-Mb-Mb',
  gla: 'mAlg-Sg-mAlg-Sg',
  rwkv6: 'R6t-R6c-R6t-R6c',
};

describe('presets (configs/presets/*.yml)', () => {
  const presets = loadPresets();

  it('every preset is a valid architecture carrying its name, with a one-sentence description', () => {
    expect(presets.length).toBeGreaterThanOrEqual(14);
    for (const preset of presets) {
      expect(validateArchitecture(preset.architecture), preset.id).toEqual([]);
      expect(preset.architecture.name).toBe(preset.name);
      expect(preset.architecture.dim).toBe(128);
      expect(preset.description, preset.id).toMatch(/^[A-Z][^\n]*\.$/);
    }
    expect(new Set(presets.map((p) => p.name)).size).toBe(presets.length);
  });

  it("has the paper's models with their layer lists, and classics besides", () => {
    for (const [id, expectedModelId] of Object.entries(PAPER_MODELS)) {
      const preset = presetById(id);
      expect(preset?.source, id).toBe('paper');
      expect(modelId(preset!.architecture)).toBe(expectedModelId);
    }
    expect(presets.filter((p) => p.source === 'classic').length).toBeGreaterThanOrEqual(4);
    const firstClassic = presets.findIndex((p) => p.source === 'classic');
    expect(presets.slice(firstClassic).every((p) => p.source === 'classic')).toBe(true);
  });

  it("matches docs/protocol.md §4.0's whole-model parameter counts wherever a preset is one of its examples", () => {
    const checked: string[] = [];
    for (const preset of presets) {
      const expected = SPEC_TOTALS[modelId(preset.architecture)];
      // The spec's examples use mad-lab's default layer configs.
      if (expected === undefined || preset.architecture.layers.some((l) => l.config !== undefined)) continue;
      expect(countModel(preset.architecture, { vocabSize: 16, maxLength: 128 }).total, preset.id).toBe(expected);
      checked.push(modelId(preset.architecture));
    }
    expect(new Set(checked)).toEqual(new Set(Object.keys(SPEC_TOTALS)));
  });

  it('keeps config overrides: Mamba (state 16) has 4× the state of Mamba', () => {
    const small = countModel(presetById('mamba')!.architecture, { vocabSize: 16, maxLength: 128 });
    const large = countModel(presetById('mamba-state-16')!.architecture, { vocabSize: 16, maxLength: 128 });
    expect(small.stateTotal).toBe(4096);
    expect(large.stateTotal).toBe(4 * 4096);
  });

  it('names the file and the problem of a malformed preset', () => {
    const ok = 'name: X\ndescription: A model.\nsource: paper\narchitecture:\n  dim: 128\n  layers:\n    - type: mlp\n';
    expect(parsePreset('x', ok).architecture).toEqual({ version: 1, name: 'X', dim: 128, layers: [{ type: 'mlp' }] });
    expect(() => parsePreset('x', ok.replace('source: paper', 'source: blog'))).toThrow(/configs\/presets\/x\.yml: 'source' must be paper or classic/);
    expect(() => parsePreset('x', ok.replace('type: mlp', 'type: mlpp'))).toThrow(/x\.yml: architecture: layers\[0\]: unknown layer type "mlpp"/);
    expect(() => parsePreset('x', `${ok}colour: red\n`)).toThrow(/unknown key 'colour'/);
    expect(() => parsePreset('x', ok.replace('  dim: 128', '  version: 1\n  dim: 128'))).toThrow(/must not set version or name/);
    expect(() => parsePreset('x', 'name: [')).toThrow(/x\.yml: invalid YAML/);
  });
});

describe('published MAD scores (configs/reference/published-scores.yml)', () => {
  const published = loadPublishedScores();

  it('says the values are digitised from a figure, with their uncertainty', () => {
    expect(published.digitised).toBe(true);
    expect(published.uncertainty).toBe(0.003);
    expect(published.uncertaintyMemorization).toBe(0.0003);
    expect(published.source).toMatch(/mad_to_scale\.png/);
  });

  it('lists the five Hyena-family models, each pointing at its preset, averaging to the plotted mean within 0.001', () => {
    expect(published.models.map((m) => m.label)).toEqual([
      'Hyena + SwiGLU',
      'MH Hyena + SwiGLU',
      'Striped Hyena + SwiGLU',
      'Striped Hyena + MoE',
      'Striped Hyena Experts + MoE',
    ]);
    for (const model of published.models) {
      expect(presetById(model.preset)?.source, model.preset).toBe('paper');
      const mean = TASK_NAMES.reduce((sum, t) => sum + model.scores[t], 0) / TASK_NAMES.length;
      expect(Math.abs(mean - model.mean), model.label).toBeLessThanOrEqual(0.001);
    }
    expect(published.models[0]!.scores['in-context-recall']).toBe(0.818);
    expect(published.models[4]!.approximate).toContain('in-context-recall');
  });

  it('names the field of a malformed file', () => {
    expect(() => parsePublishedScores('source: x\ndigitised: true\nuncertainty: 0.003\nuncertainty_memorization: 0.0003\nmodels: [{label: a, preset: b, scores: {compression: 2}}]\n')).toThrow(
      /published-scores\.yml: models\[0\]\.scores must name the six tasks/,
    );
  });
});
