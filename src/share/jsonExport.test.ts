import { describe, expect, it } from 'vitest';
import { loadPresets, presetById } from '../config/presets.ts';
import { makeSetting } from '../tasks/settings.ts';
import { exportArchitectureJson, exportFileName, importArchitectureJson, JsonImportError } from './jsonExport.ts';
import type { ShareState } from './shareState.ts';

const withRun: ShareState = {
  architecture: presetById('mamba-state-16')!.architecture,
  run: { selection: { kind: 'setting', setting: makeSetting('selective-copying', { numTokensToCopy: 32, seqLen: 512 }) }, training: { lr: 0.001, weightDecay: 0.1 } },
};

function refusal(text: string): string {
  try {
    importArchitectureJson(text);
  } catch (err) {
    expect(err).toBeInstanceOf(JsonImportError);
    return (err as Error).message;
  }
  throw new Error('expected the import to be refused');
}

describe('JSON export and import', () => {
  it('round-trips every preset and a state with a run, as readable JSON with a format marker', () => {
    for (const preset of loadPresets()) {
      const state: ShareState = { architecture: preset.architecture };
      expect(importArchitectureJson(exportArchitectureJson(state))).toEqual(state);
    }
    const text = exportArchitectureJson(withRun);
    expect(importArchitectureJson(text)).toEqual(withRun);
    expect(text.startsWith('{\n  "format": "mad-lab-architecture",\n  "version": 1,\n  "architecture": {\n    "version": 1,\n    "name": "Mamba (state 16)"')).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('names files after the architecture', () => {
    expect(exportFileName(withRun)).toBe('mamba-state-16.mad.json');
    expect(exportFileName({ architecture: { version: 1, dim: 128, layers: [{ type: 'mh-attention' }, { type: 'swiglu' }] } })).toBe('mh-attention-swiglu.mad.json');
  });

  it('refuses files it cannot open, saying why in one sentence', () => {
    expect(refusal('{"format":')).toMatch(/^This file is not JSON \(.*\); choose a file exported by MAD Lab\.$/);
    expect(refusal('{"layers":[]}')).toBe('This file is not a MAD Lab architecture: it lacks "format": "mad-lab-architecture".');
    expect(refusal('{"format":"mad-lab-architecture","version":2,"architecture":{}}')).toBe(
      'This file was made by a newer MAD Lab (file format v2); this version reads up to v1, so open it in an updated MAD Lab.',
    );
    expect(refusal('{"format":"mad-lab-architecture","version":"1"}')).toMatch(/"version" must be a whole number from 1, got "1"/);
    expect(refusal('{"format":"mad-lab-architecture","version":1,"architecture":{"version":1,"dim":128,"layers":[{"type":"mlp"}]},"extra":1}')).toMatch(/unknown field extra/);
    expect(refusal('{"format":"mad-lab-architecture","version":1,"architecture":{"version":1,"dim":128,"layers":[{"type":"mlp","config":{"dim_inner":-4}}]}}')).toMatch(
      /^This file describes an invalid model or run: architecture: layers\[0\]: mlp: .*dim_inner/,
    );
    expect(refusal('{"format":"mad-lab-architecture","version":1,"architecture":{"version":1,"dim":128,"layers":[{"type":"mlp"}]},"run":{"selection":{"kind":"protocol","profile":"huge"}}}')).toMatch(
      /run\.selection\.profile must be one of quick, standard, full/,
    );
  });
});
