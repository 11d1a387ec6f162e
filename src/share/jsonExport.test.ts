import { describe, expect, it } from 'vitest';
import { loadPresets, presetById } from '../model/presets.ts';
import { makeSetting } from '../tasks/settings.ts';
import { architectureFileSizeProblem, exportArchitectureJson, exportFileName, importArchitectureJson, JsonImportError } from './jsonExport.ts';
import { MAX_ARCHITECTURE_FILE_LENGTH, type ShareState } from './shareState.ts';

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

  it('refuses a model over the size policy with its message, without walking 10,000 layers', () => {
    const file = (architecture: unknown) => JSON.stringify({ format: 'mad-lab-architecture', version: 1, architecture });
    // Once imported, this blocked the tab 17 s, and again on every reload as the saved draft.
    expect(refusal(file({ version: 1, dim: 128, layers: new Array(10_000).fill({ type: 'mlp' }) }))).toMatch(
      /^This file describes an invalid model or run: architecture: Number of layers 10,000 is over the limit of 64 .*: use fewer layers\.$/,
    );
    expect(refusal(file({ version: 1, dim: 128, name: 'x'.repeat(5000), layers: [{ type: 'mlp' }] }))).toMatch(/Model name length 5,000 is over the limit of 200/);
  });

  it('refuses a file longer than any model within the policy, by its size before parsing', () => {
    // A valid file with a 50 MB name froze the tab 74 s at 3.1 GB of heap.
    const text = JSON.stringify({ format: 'mad-lab-architecture', version: 1, architecture: { version: 1, dim: 128, name: 'x'.repeat(MAX_ARCHITECTURE_FILE_LENGTH), layers: [{ type: 'mlp' }] } });
    expect(refusal(text)).toMatch(/^This file is [\d,]+ characters long, over the limit of [\d,]+ \(.*\): choose the file of a smaller model\.$/);
    expect(refusal(`${'{'.repeat(MAX_ARCHITECTURE_FILE_LENGTH + 1)}`)).toMatch(/^This file is/);
    expect(architectureFileSizeProblem(50 * 1024 * 1024)).toMatch(/^This file is 52,428,800 bytes long, over the limit of/);
    expect(architectureFileSizeProblem(MAX_ARCHITECTURE_FILE_LENGTH)).toBeNull();
    // Every preset, pretty-printed, is far inside the limit.
    for (const preset of loadPresets()) expect(exportArchitectureJson({ architecture: preset.architecture }).length).toBeLessThan(MAX_ARCHITECTURE_FILE_LENGTH / 10);
  });
});
