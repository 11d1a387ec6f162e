import { describe, expect, it } from 'vitest';
import { presetById } from '../model/presets.ts';
import { architectureFromLayers } from '../model/architecture.ts';
import { makeSetting } from '../tasks/settings.ts';
import type { RunKey } from '../train/runKey.ts';
import { createLibrary, LibraryError, memoryStorage, type KeyValueStorage, type SavedRun } from './library.ts';
import type { ShareState } from './shareState.ts';

const transformer: ShareState = { architecture: presetById('transformer')!.architecture };
const mamba: ShareState = { architecture: presetById('mamba')!.architecture, run: { selection: { kind: 'protocol', profile: 'quick' }, training: { seed: 3 } } };

const runKey = (lr: number): RunKey => ({
  setting: makeSetting('memorization', { vocabSize: 256, seqLen: 32, numTrainExamples: 256 }),
  batchSize: 128,
  epochs: 200,
  lr,
  weightDecay: 0,
  optimizer: 'adamw',
  scheduler: 'cosine',
  modelId: 'mA-Sg-mA-Sg',
});
const row = (testAcc: number) => ({ train_acc: 1, train_ppl: 1.01, train_loss: 0.01, test_acc: testAcc, test_ppl: 1.5, test_loss: 0.4 });

/** A library with a fixed clock that ticks a second per write, and ids a, b, c, … */
function setup(storage: KeyValueStorage = memoryStorage()) {
  let tick = 0;
  let id = 0;
  const library = createLibrary(storage, { now: () => new Date(Date.UTC(2026, 0, 1, 0, 0, tick++)), newId: () => String.fromCharCode(97 + id++) });
  return { library, storage };
}

describe('local library', () => {
  it('saves, lists newest first, reads back, replaces and removes entries', () => {
    const { library } = setup();
    const first = library.save({ name: 'Transformer', state: transformer });
    const second = library.save({ name: 'Mamba', state: mamba });
    expect(first).toEqual({ id: 'a', name: 'Transformer', savedAt: '2026-01-01T00:00:00.000Z', state: transformer, runs: [] });
    expect(library.list()).toEqual({ entries: [second, first], problems: [] });
    expect(library.get('b')).toEqual(second);
    expect(library.get('zzz')).toBeNull();

    const renamed = library.save({ name: 'Mamba ×4', state: mamba }, 'b');
    expect(renamed.id).toBe('b');
    expect(library.list().entries.map((e) => e.name)).toEqual(['Mamba ×4', 'Transformer']);
    library.remove('a');
    expect(library.list().entries.map((e) => e.id)).toEqual(['b']);
  });

  it('keeps results with their architecture, NaN rows included, replacing a re-run of the same run', () => {
    const { library } = setup();
    const entry = library.save({ name: 'T', state: transformer });
    const diverged: SavedRun = { key: runKey(1e-3), row: { ...row(0.5), test_ppl: Number.NaN, test_loss: Infinity }, source: 'lab' };
    library.addRuns(entry.id, [{ key: runKey(1e-4), row: row(0.25), source: 'mad-lab' }, diverged]);
    const updated = library.addRuns(entry.id, [{ key: runKey(1e-4), row: row(0.75), source: 'mad-lab' }]);
    const read = library.get(entry.id)!;
    expect(read).toEqual(updated);
    expect(read.runs.map((r) => r.row.test_acc)).toEqual([0.75, 0.5]);
    expect(read.runs[1]!.row.test_ppl).toBeNaN();
    expect(read.runs[1]!.row.test_loss).toBe(Infinity);
    // Saving the architecture again keeps its results.
    expect(library.save({ name: 'T again', state: transformer }, entry.id).runs).toHaveLength(2);
    expect(() => library.addRuns('missing', [])).toThrow(/no saved architecture missing/);
  });

  it('skips and reports unreadable entries, and never changes or overwrites them', () => {
    const { library, storage } = setup(
      memoryStorage({
        'mad-lab.library.broken': '{"format":"mad-lab-library-entry","version":1,"id":"brok',
        'mad-lab.library.future': JSON.stringify({ format: 'mad-lab-library-entry', version: 9, id: 'future' }),
        'mad-lab.library.badarch': JSON.stringify({ format: 'mad-lab-library-entry', version: 1, id: 'badarch', name: 'x', savedAt: 'now', state: { architecture: { version: 1, dim: 128, layers: [] } }, runs: [] }),
        'other.app.key': 'not ours',
      }),
    );
    const before = Object.fromEntries(storage.keys().map((k) => [k, storage.getItem(k)]));
    library.save({ name: 'ok', state: transformer });
    const { entries, problems } = library.list();
    expect(entries.map((e) => e.name)).toEqual(['ok']);
    expect(problems).toEqual([
      { key: 'mad-lab.library.badarch', problem: 'Skipped a saved entry: its architecture or run is invalid: architecture: layers is empty: a model needs at least one layer; it was left as it is.' },
      { key: 'mad-lab.library.broken', problem: 'Skipped a saved entry: it is not valid JSON (the stored text is damaged); it was left as it is.' },
      { key: 'mad-lab.library.future', problem: 'Skipped a saved entry: it was saved by a newer MAD Lab (entry format v9; this version reads up to v1); it was left as it is.' },
    ]);
    expect(() => library.get('broken')).toThrow(LibraryError);
    expect(() => library.save({ name: 'over it', state: transformer }, 'broken')).toThrow(/cannot be read: it is not valid JSON.*left as it is/);
    expect(() => library.addRuns('future', [])).toThrow(/saved by a newer MAD Lab/);
    for (const [key, value] of Object.entries(before)) expect(storage.getItem(key), key).toBe(value);
  });

  it('refuses invalid saves with a reason, and a full storage leaves the old entry intact', () => {
    const storage = memoryStorage();
    const { library } = setup(storage);
    expect(() => library.save({ name: '  ', state: transformer })).toThrow('Give the architecture a name before saving it.');
    expect(() => library.save({ name: 'x', state: { architecture: { ...architectureFromLayers(['mlp']), dim: -1 } } })).toThrow(/Cannot save an invalid architecture/);
    const entry = library.save({ name: 'kept', state: transformer });
    const full: KeyValueStorage = {
      ...storage,
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    const fullLibrary = createLibrary(full);
    expect(() => fullLibrary.save({ name: 'kept', state: mamba }, entry.id)).toThrow(/refused to save "kept" \(QuotaExceededError\); its storage may be full/);
    expect(library.get(entry.id)).toEqual(entry);
  });

  it('refuses to save a model over the size policy, and reports a stored one without opening it', () => {
    const { library, storage } = setup(memoryStorage());
    const deep = { ...architectureFromLayers(['mlp']), layers: new Array(10_000).fill({ type: 'mlp' }) };
    expect(() => library.save({ name: 'deep', state: { architecture: deep } })).toThrow(/^Cannot save an invalid architecture or run: architecture: Number of layers 10,000 is over the limit of 64/);
    expect(() => library.save({ name: 'n'.repeat(201), state: transformer })).toThrow(/^Model name length 201 is over the limit of 200 \(a name is a label\): shorten the name\.$/);
    const stored = JSON.stringify({ format: 'mad-lab-library-entry', version: 1, id: 'deep', name: 'deep', savedAt: 'now', state: { architecture: deep }, runs: [] });
    storage.setItem('mad-lab.library.deep', stored);
    expect(library.list().problems).toEqual([
      { key: 'mad-lab.library.deep', problem: expect.stringMatching(/^Skipped a saved entry: its architecture or run is invalid: architecture: Number of layers 10,000 is over the limit of 64 .*; it was left as it is\.$/) },
    ]);
    expect(() => library.get('deep')).toThrow(/Number of layers 10,000 is over the limit of 64/);
    expect(storage.getItem('mad-lab.library.deep')).toBe(stored);
  });
});
