// The local library: architectures the user saved, with their run settings and the results of
// their runs (ours, or imported from mad-lab). Each entry is one JSON value under its own key
// (`mad-lab.library.<id>`), so saving is a single write — there is no separate index that could
// disagree with the entries after a crash or a full disk — and listing walks the keys.
//
// The library never loses a user's data on its own: an entry that cannot be read (corrupted, or
// written by a newer MAD Lab) is reported and left exactly as it is, and saving over it is
// refused. Nothing here runs when a share link is opened; only an explicit save writes. An entry
// with a model over the size policy (config/sizePolicy.ts) is reported with the policy's message
// and never opened, and saving one is refused the same way.

import { sizeProblem } from '../config/sizePolicy.ts';
import { runDirName, type RunKey } from '../train/runKey.ts';
import { RESULTS_COLUMNS, type ResultsRow } from '../train/types.ts';
import { validateShareState, type ShareState } from './shareState.ts';

/** Strings by key: window.localStorage in the browser, a Map in tests. */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  /** Throws when the storage is full; the previous value is then unchanged. */
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
  keys(): string[];
}

export function localStorageStorage(storage: Storage = globalThis.localStorage): KeyValueStorage {
  return {
    getItem: (key) => storage.getItem(key),
    setItem: (key, value) => storage.setItem(key, value),
    removeItem: (key) => storage.removeItem(key),
    keys: () => Array.from({ length: storage.length }, (_, i) => storage.key(i)).filter((k): k is string => k !== null),
  };
}

export function memoryStorage(initial: Record<string, string> = {}): KeyValueStorage {
  const items = new Map(Object.entries(initial));
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
    keys: () => [...items.keys()],
  };
}

/** 'lab': trained here; 'mad-lab': imported from a mad-lab logs directory. */
export type RunSource = 'lab' | 'mad-lab';

export interface SavedRun {
  key: RunKey;
  row: ResultsRow;
  source: RunSource;
}

export interface LibraryEntry {
  id: string;
  name: string;
  /** ISO 8601, when the entry was last written. */
  savedAt: string;
  state: ShareState;
  runs: SavedRun[];
}

export interface LibraryProblem {
  /** The storage key of the entry that was skipped (and left untouched). */
  key: string;
  problem: string;
}

export class LibraryError extends Error {
  override readonly name = 'LibraryError';
}

export interface Library {
  /** Every readable entry, most recently saved first, and one problem per entry that is not. */
  list(): { entries: LibraryEntry[]; problems: LibraryProblem[] };
  /** The entry, or null when there is none; throws LibraryError when it exists but cannot be read. */
  get(id: string): LibraryEntry | null;
  /** Saves a new entry, or replaces entry `id` (keeping its runs unless `runs` is given). */
  save(draft: { name: string; state: ShareState; runs?: SavedRun[] }, id?: string): LibraryEntry;
  /** Adds runs to an entry; a run with the same run name and source replaces the older one. */
  addRuns(id: string, runs: readonly SavedRun[]): LibraryEntry;
  remove(id: string): void;
}

const PREFIX = 'mad-lab.library.';
const ENTRY_FORMAT = 'mad-lab-library-entry';
/** v1: { format, version, id, name, savedAt, state, runs }, with non-finite numbers as { $nonFinite: 'NaN' | 'Infinity' | '-Infinity' }. */
const ENTRY_VERSION = 1;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

// JSON has no NaN: a diverged run's results row holds NaN, and it must read back as NaN.
const NON_FINITE = '$nonFinite';
const replacer = (_key: string, value: unknown): unknown => (typeof value === 'number' && !Number.isFinite(value) ? { [NON_FINITE]: String(value) } : value);
const reviver = (_key: string, value: unknown): unknown =>
  isRecord(value) && Object.keys(value).length === 1 && typeof value[NON_FINITE] === 'string' ? Number(value[NON_FINITE]) : value;

function runProblem(run: unknown, i: number): string | undefined {
  if (!isRecord(run) || !isRecord(run.key) || !isRecord(run.row)) return `runs[${i}] must be { key, row, source }`;
  if (run.source !== 'lab' && run.source !== 'mad-lab') return `runs[${i}].source must be 'lab' or 'mad-lab'`;
  const row = run.row;
  if (RESULTS_COLUMNS.some((c) => typeof row[c] !== 'number')) return `runs[${i}].row must hold the numbers ${RESULTS_COLUMNS.join(', ')}`;
  try {
    runDirName(run.key as unknown as RunKey);
  } catch (err) {
    return `runs[${i}].key: ${err instanceof Error ? err.message : String(err)}`;
  }
  return undefined;
}

/** The entry stored as `text` under `key`, or why it cannot be read. */
function readEntry(key: string, text: string): LibraryEntry | string {
  let value: unknown;
  try {
    value = JSON.parse(text, reviver);
  } catch {
    return 'it is not valid JSON (the stored text is damaged)';
  }
  if (!isRecord(value) || value.format !== ENTRY_FORMAT) return `it is not a MAD Lab library entry`;
  if (typeof value.version !== 'number' || value.version > ENTRY_VERSION) {
    return `it was saved by a newer MAD Lab (entry format v${String(value.version)}; this version reads up to v${ENTRY_VERSION})`;
  }
  if (value.id !== key.slice(PREFIX.length)) return `its id ${JSON.stringify(value.id)} does not match its key`;
  if (typeof value.name !== 'string' || typeof value.savedAt !== 'string') return 'its name or save time is missing';
  const problems = validateShareState(value.state);
  if (problems.length > 0) return `its architecture or run is invalid: ${problems.join('; ')}`;
  if (!Array.isArray(value.runs)) return 'its runs are missing';
  const bad = value.runs.map(runProblem).find((p) => p !== undefined);
  if (bad !== undefined) return bad;
  return { id: value.id, name: value.name, savedAt: value.savedAt, state: value.state as ShareState, runs: value.runs as SavedRun[] };
}

function randomId(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(8));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

const runIdentity = (run: SavedRun): string => `${run.source}|${runDirName(run.key)}`;

export function createLibrary(storage: KeyValueStorage, options: { now?: () => Date; newId?: () => string } = {}): Library {
  const now = options.now ?? (() => new Date());
  const newId = options.newId ?? randomId;

  function write(entry: LibraryEntry): void {
    const text = JSON.stringify({ format: ENTRY_FORMAT, version: ENTRY_VERSION, ...entry }, replacer);
    try {
      storage.setItem(PREFIX + entry.id, text);
    } catch (err) {
      throw new LibraryError(
        `The browser refused to save "${entry.name}" (${err instanceof Error ? err.message : String(err)}); its storage may be full, so delete or export saved architectures you no longer need.`,
      );
    }
  }

  function get(id: string): LibraryEntry | null {
    const text = storage.getItem(PREFIX + id);
    if (text === null) return null;
    const entry = readEntry(PREFIX + id, text);
    if (typeof entry === 'string') throw new LibraryError(`The saved entry ${id} cannot be read: ${entry}; it was left as it is.`);
    return entry;
  }

  return {
    list() {
      const entries: LibraryEntry[] = [];
      const problems: LibraryProblem[] = [];
      for (const key of storage.keys().filter((k) => k.startsWith(PREFIX)).sort()) {
        const text = storage.getItem(key);
        if (text === null) continue; // removed by another tab meanwhile
        const entry = readEntry(key, text);
        if (typeof entry === 'string') problems.push({ key, problem: `Skipped a saved entry: ${entry}; it was left as it is.` });
        else entries.push(entry);
      }
      entries.sort((a, b) => (a.savedAt < b.savedAt ? 1 : a.savedAt > b.savedAt ? -1 : 0));
      return { entries, problems };
    },

    get,

    save(draft, id) {
      if (draft.name.trim() === '') throw new LibraryError('Give the architecture a name before saving it.');
      const longName = sizeProblem('nameLength', draft.name.length, 'library');
      if (longName !== null) throw new LibraryError(longName.message);
      const problems = validateShareState(draft.state);
      if (problems.length > 0) throw new LibraryError(`Cannot save an invalid architecture or run: ${problems.join('; ')}.`);
      const previous = id === undefined ? null : get(id); // throws rather than overwrite an unreadable entry
      const entry: LibraryEntry = {
        id: id ?? newId(),
        name: draft.name,
        savedAt: now().toISOString(),
        state: draft.state,
        runs: draft.runs ?? previous?.runs ?? [],
      };
      write(entry);
      return entry;
    },

    addRuns(id, runs) {
      const entry = get(id);
      if (entry === null) throw new LibraryError(`There is no saved architecture ${id} to add results to; save it first.`);
      const byIdentity = new Map(entry.runs.map((r) => [runIdentity(r), r]));
      for (const run of runs) byIdentity.set(runIdentity(run), run);
      const updated = { ...entry, savedAt: now().toISOString(), runs: [...byIdentity.values()] };
      write(updated);
      return updated;
    },

    remove(id) {
      storage.removeItem(PREFIX + id);
    },
  };
}
