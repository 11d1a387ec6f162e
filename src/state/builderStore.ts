// State of the architecture Builder: the ArchitectureSpec being edited, the selected block, an
// undo/redo history of specs, and the vocabulary and length the totals are counted at. Every
// change goes through a named action; an action that would make the spec invalid is refused
// with the reason the model's own validation gives, and the spec stays as it was. Each spec is
// checked once (checkArchitecture) and its check kept beside it, so the totals count the resolved
// architecture instead of validating the same spec again. Sizes are the
// size policy's (config/sizePolicy.ts): a 65th layer, a width over the cap or a name over 200
// characters is refused with its message, so no edit makes a model that blocks the page.
import { create } from 'zustand';
import { sizeProblem } from '../config/sizePolicy.ts';
import {
  architectureFromLayers,
  checkArchitecture,
  problemConfigKeys,
  problemLayer,
  problemSentence,
  problemsText,
  type ArchitectureCheck,
  type ArchitectureLayer,
  type ArchitectureProblem,
  type ArchitectureSpec,
  type BackboneChoice,
  type InitScheme,
} from '../model/architecture.ts';
import type { NormKind } from '../model/languageModel.ts';
import type { LayerConfig } from '../layers/types.ts';
import { DEFAULT_LAYERS, presetById } from '../model/presets.ts';

/**
 * A refusal gives its reason and, when one config field of a block is to blame, that field's keys
 * from the top of the block's config (['n_heads'], ['long_conv_cfg', 'bias']), for the inspector to mark.
 */
export type ActionResult = { ok: true } | { ok: false; reason: string; configKeys?: readonly string[] };

/** What the totals are counted at: the task's vocabulary and mad-lab's max_length. */
export interface CountSettings {
  vocabSize: number;
  seqLen: number;
}

export interface BuilderState {
  spec: ArchitectureSpec;
  /** checkArchitecture(spec), made once per spec change: resolved when valid (the only invalid spec kept is an empty stack). */
  check: ArchitectureCheck;
  /** Index of the block the inspector shows, or null. */
  selected: number | null;
  /** Earlier specs, oldest first (bounded by HISTORY_LIMIT). */
  past: ArchitectureSpec[];
  /** Specs undone, the next redo last. */
  future: ArchitectureSpec[];
  counting: CountSettings;

  /** Inserts a block with default config at `index` (default: the end) and selects it. */
  add: (type: string, index?: number) => ActionResult;
  /** Moves the block at `from` so that it ends up at index `to`. */
  move: (from: number, to: number) => void;
  /** Inserts a copy of the block right after it and selects the copy. */
  duplicate: (index: number) => ActionResult;
  remove: (index: number) => void;
  clear: () => void;
  select: (index: number | null) => void;
  /** Replaces the block's overrides of configs/layers/<type>.yml (an empty object: all defaults). */
  updateConfig: (index: number, overrides: LayerConfig) => ActionResult;
  setDim: (dim: number) => ActionResult;
  setNorm: (norm: NormKind) => void;
  setBackbone: (backbone: BackboneChoice) => ActionResult;
  setInit: (init: InitScheme) => void;
  /** Sets the name (trimmed; empty removes it); refused over the policy's name length. */
  setName: (name: string) => ActionResult;
  /** Replaces the whole spec (a preset, an import, a share link); refused with every problem listed. */
  loadArchitecture: (spec: unknown) => ActionResult;
  /** Starts over from `spec` with no history (work restored when the page opens); refused like loadArchitecture. */
  restore: (spec: unknown) => ActionResult;
  /** Loads configs/presets/<id>.yml. */
  loadPreset: (id: string) => ActionResult;
  undo: () => void;
  redo: () => void;
  setCounting: (counting: Partial<CountSettings>) => ActionResult;
}

export const HISTORY_LIMIT = 100;
/** The builder's words for a problem: blocks are numbered from 1 ('block 3: mlp: …'). */
const blockSentence = (problem: ArchitectureProblem): string => problemSentence(problem, (index) => `block ${index + 1}`);

/** The problems of a check that refuse an edit: all but the empty stack, an ordinary state while editing. */
function editingProblems(spec: ArchitectureSpec, check: ArchitectureCheck): ArchitectureProblem[] {
  if (check.ok) return [];
  const emptyStack = (p: ArchitectureProblem) => spec.layers.length === 0 && p.path.length === 0 && p.key === 'layers';
  return check.problems.filter((p) => !emptyStack(p));
}

const refused = (reason: string): ActionResult => ({ ok: false, reason });
const OK: ActionResult = { ok: true };

function isEmptyRecord(value: LayerConfig): boolean {
  return Object.keys(value).length === 0;
}

function withLayers(spec: ArchitectureSpec, layers: ArchitectureLayer[]): ArchitectureSpec {
  return { ...spec, layers };
}

/** The selection survives undo and redo while its index still names a block. */
function keptSelection(selected: number | null, spec: ArchitectureSpec): number | null {
  return selected !== null && selected < spec.layers.length ? selected : null;
}

function clampIndex(index: number, length: number): number {
  return Math.max(0, Math.min(length, Math.trunc(index)));
}

export const useBuilderStore = create<BuilderState>()((set, get) => {
  /** Makes `next` the current spec, remembering the current one for undo; `check` is next's when the caller already made it. */
  function commit(next: ArchitectureSpec, selected: number | null, check: ArchitectureCheck = checkArchitecture(next)): void {
    const { spec, past } = get();
    set({ spec: next, check, selected, past: [...past, spec].slice(-HISTORY_LIMIT), future: [] });
  }

  /** Commits `next` if it is valid, otherwise refuses with its first problem. */
  function commitValid(next: ArchitectureSpec, selected: number | null): ActionResult {
    const check = checkArchitecture(next);
    const [problem] = editingProblems(next, check);
    if (problem !== undefined) return refused(blockSentence(problem));
    commit(next, selected, check);
    return OK;
  }

  /** Replaces the spec with a copy of `candidate` if it is valid (with `keepHistory`, as an undoable change), otherwise refuses with every problem. */
  function load(candidate: unknown, keepHistory: boolean): ActionResult {
    const next = structuredClone(candidate);
    const check = checkArchitecture(next);
    if (!check.ok) return refused(problemsText(check.problems));
    const spec = next as ArchitectureSpec;
    if (keepHistory) commit(spec, null, check);
    else set({ spec, check, selected: null, past: [], future: [] });
    return OK;
  }

  const initial = architectureFromLayers(DEFAULT_LAYERS);

  return {
    spec: initial,
    check: checkArchitecture(initial),
    selected: null,
    past: [],
    future: [],
    counting: { vocabSize: 16, seqLen: 128 },

    add: (type, index) => {
      const { spec } = get();
      const at = clampIndex(index ?? spec.layers.length, spec.layers.length);
      const layers = [...spec.layers];
      layers.splice(at, 0, { type });
      return commitValid(withLayers(spec, layers), at);
    },

    move: (from, to) => {
      const { spec, selected } = get();
      const n = spec.layers.length;
      const target = Math.max(0, Math.min(n - 1, to));
      if (from < 0 || from >= n || target === from) return;
      const layers = [...spec.layers];
      const [moved] = layers.splice(from, 1);
      layers.splice(target, 0, moved!);
      let nextSelected = selected;
      if (selected === from) nextSelected = target;
      else if (selected !== null && from < selected && target >= selected) nextSelected = selected - 1;
      else if (selected !== null && from > selected && target <= selected) nextSelected = selected + 1;
      commit(withLayers(spec, layers), nextSelected);
    },

    duplicate: (index) => {
      const { spec } = get();
      const layer = spec.layers[index];
      if (!layer) return refused(`there is no block ${index + 1} to duplicate`);
      const layers = [...spec.layers];
      layers.splice(index + 1, 0, structuredClone(layer));
      return commitValid(withLayers(spec, layers), index + 1);
    },

    remove: (index) => {
      const { spec, selected } = get();
      if (index < 0 || index >= spec.layers.length) return;
      const layers = spec.layers.filter((_, i) => i !== index);
      let nextSelected = selected;
      if (selected === index) nextSelected = layers.length === 0 ? null : Math.min(index, layers.length - 1);
      else if (selected !== null && selected > index) nextSelected = selected - 1;
      commit(withLayers(spec, layers), nextSelected);
    },

    clear: () => {
      if (get().spec.layers.length > 0) commit(withLayers(get().spec, []), null);
    },

    select: (index) => {
      const { spec } = get();
      set({ selected: index !== null && index >= 0 && index < spec.layers.length ? index : null });
    },

    updateConfig: (index, overrides) => {
      const { spec, selected } = get();
      const layer = spec.layers[index];
      if (!layer) return refused(`there is no block ${index + 1} to configure`);
      const updated: ArchitectureLayer = isEmptyRecord(overrides) ? { type: layer.type } : { type: layer.type, config: overrides };
      const next = withLayers(
        spec,
        spec.layers.map((l, i) => (i === index ? updated : l)),
      );
      const check = checkArchitecture(next);
      // The inspector shows the block and its type already: the refusal is the problem's own words.
      const problem = editingProblems(next, check).find((p) => problemLayer(p) === index);
      if (problem !== undefined) return { ok: false, reason: problem.message, configKeys: problemConfigKeys(problem) ?? undefined };
      commit(next, selected, check);
      return OK;
    },

    setDim: (dim) => {
      const { spec, selected } = get();
      if (dim === spec.dim) return OK;
      return commitValid({ ...spec, dim }, selected);
    },

    setNorm: (norm) => {
      const { spec, selected } = get();
      if ((spec.norm ?? 'rms') !== norm) commit({ ...spec, norm }, selected);
    },

    setBackbone: (backbone) => {
      const { spec, selected } = get();
      if ((spec.backbone ?? 'auto') === backbone) return OK;
      return commitValid({ ...spec, backbone }, selected);
    },

    setInit: (init) => {
      const { spec, selected } = get();
      if ((spec.init ?? 'paper') !== init) commit({ ...spec, init }, selected);
    },

    setName: (name) => {
      const { spec, selected } = get();
      const trimmed = name.trim();
      if ((spec.name ?? '') === trimmed) return OK;
      const tooLong = sizeProblem('nameLength', trimmed.length, 'architecture');
      if (tooLong !== null) return refused(tooLong.message);
      const { name: _previous, ...rest } = spec;
      commit(trimmed === '' ? rest : { ...rest, name: trimmed }, selected);
      return OK;
    },

    loadArchitecture: (candidate) => load(candidate, true),

    restore: (candidate) => load(candidate, false),

    loadPreset: (id) => {
      const preset = presetById(id);
      if (!preset) return refused(`there is no preset '${id}' in configs/presets`);
      return get().loadArchitecture(preset.architecture);
    },

    undo: () => {
      const { past, spec, future } = get();
      const previous = past.at(-1);
      if (!previous) return;
      set((state) => ({ spec: previous, check: checkArchitecture(previous), past: past.slice(0, -1), future: [...future, spec], selected: keptSelection(state.selected, previous) }));
    },

    redo: () => {
      const { past, spec, future } = get();
      const next = future.at(-1);
      if (!next) return;
      set((state) => ({ spec: next, check: checkArchitecture(next), past: [...past, spec].slice(-HISTORY_LIMIT), future: future.slice(0, -1), selected: keptSelection(state.selected, next) }));
    },

    setCounting: (changes) => {
      const counting = { ...get().counting, ...changes };
      for (const key of ['vocabSize', 'seqLen'] as const) {
        const value = counting[key];
        if (Number.isInteger(value) && value < 1) return refused(`${key === 'vocabSize' ? 'the vocabulary size' : 'the sequence length'} must be at least 1, got ${value}`);
        const problem = sizeProblem(key, value, 'counting');
        if (problem !== null) return refused(problem.message);
      }
      set({ counting });
      return OK;
    },
  };
});
