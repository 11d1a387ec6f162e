// The inspector's form, derived from a layer's configs/layers/<type>.yml: one field per default
// value (numbers, booleans, text, lists of numbers, "derived" nulls), nested mappings as groups.
// Also the two conversions the form needs: text typed into a field → a config value, and one
// field's new value → the block's overrides (only what differs from the defaults is kept, so an
// exported spec stays as short as mad-lab's own yml files).
import type { LayerConfig } from '../../layers/types.ts';

export type FieldKind = 'boolean' | 'number' | 'text' | 'number-list' | 'derived';

export interface ConfigField {
  kind: FieldKind;
  /** Keys from the top of the config, e.g. ['long_conv_cfg', 'filter_cfg', 'order']. */
  path: readonly string[];
  key: string;
  defaultValue: unknown;
}

export interface ConfigGroup {
  kind: 'group';
  path: readonly string[];
  key: string;
  entries: ConfigEntry[];
}

export type ConfigEntry = ConfigField | ConfigGroup;

/** The model width is set once for the whole model (every layer maps d → d), not per block. */
export const MODEL_OWNED_KEYS: ReadonlySet<string> = new Set(['dim']);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function fieldKind(value: unknown): FieldKind {
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return 'number';
  if (value === null) return 'derived';
  if (Array.isArray(value) && value.every((v) => typeof v === 'number')) return 'number-list';
  return 'text';
}

/** The form's entries for a layer's defaults, in the yml's order, without the model-owned keys. */
export function configEntries(defaults: Record<string, unknown>, path: readonly string[] = []): ConfigEntry[] {
  return Object.entries(defaults)
    .filter(([key]) => path.length > 0 || !MODEL_OWNED_KEYS.has(key))
    .map(([key, value]): ConfigEntry => {
      const at = [...path, key];
      if (isRecord(value)) return { kind: 'group', path: at, key, entries: configEntries(value, at) };
      return { kind: fieldKind(value), path: at, key, defaultValue: value };
    });
}

export function valueAt(config: Record<string, unknown>, path: readonly string[]): unknown {
  let node: unknown = config;
  for (const key of path) node = isRecord(node) ? node[key] : undefined;
  return node;
}

/** The value as the field shows it: lists as "a, b", a derived null as empty text. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}

/** Booleans are checkboxes; every other kind is typed as text. */
export type TextFieldKind = Exclude<FieldKind, 'boolean'>;

export type ParsedValue = { ok: true; value: unknown } | { ok: false; reason: string };

/**
 * Text typed into a field → the config value. Only the form of the text is checked here (a
 * number is a number); whether the value is allowed is the layer's own validation.
 */
export function parseFieldText(kind: TextFieldKind, text: string): ParsedValue {
  const trimmed = text.trim();
  const asNumber = (t: string): number | undefined => (t !== '' && Number.isFinite(Number(t)) ? Number(t) : undefined);
  switch (kind) {
    case 'number': {
      const value = asNumber(trimmed);
      return value === undefined ? { ok: false, reason: `enter a number, not ${JSON.stringify(text)}` } : { ok: true, value };
    }
    case 'derived': {
      if (trimmed === '') return { ok: true, value: null };
      const value = asNumber(trimmed);
      return value === undefined ? { ok: false, reason: 'enter a number, or leave it empty to derive it' } : { ok: true, value };
    }
    case 'number-list': {
      const parts = trimmed.split(/[\s,]+/).filter((p) => p !== '');
      const values = parts.map(asNumber);
      if (parts.length === 0 || values.some((v) => v === undefined)) return { ok: false, reason: 'enter numbers separated by commas, e.g. 32, 32' };
      return { ok: true, value: values };
    }
    case 'text': {
      // Some text defaults stand for a choice that can also be a number (mamba's dt_rank: auto or 8).
      const value = asNumber(trimmed);
      return { ok: true, value: value ?? trimmed };
    }
  }
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

function setAt(config: Record<string, unknown>, path: readonly string[], value: unknown): Record<string, unknown> {
  const [key, ...rest] = path;
  if (key === undefined) return config;
  const child = config[key];
  return { ...config, [key]: rest.length === 0 ? value : setAt(isRecord(child) ? child : {}, rest, value) };
}

/**
 * The block's overrides after setting the field at `path` to `value`. Layers merge overrides over
 * the defaults one level deep, so a nested group is overridden as a whole (defaults filled in);
 * a top-level key equal to its default is dropped.
 */
export function overridesWith(defaults: Record<string, unknown>, overrides: LayerConfig, path: readonly string[], value: unknown): LayerConfig {
  const [top] = path;
  if (top === undefined) return overrides;
  const merged = { ...defaults, ...overrides };
  const updated = setAt(merged, path, value);
  const { [top]: _replaced, ...others } = overrides;
  return deepEqual(updated[top], defaults[top]) ? others : { ...others, [top]: updated[top] };
}

/** How many fields of a block differ from its defaults (for the stack's "2 changed" badge). */
export function changedFieldCount(defaults: Record<string, unknown>, overrides: LayerConfig): number {
  const count = (entries: ConfigEntry[], merged: Record<string, unknown>): number =>
    entries.reduce((n, entry) => {
      if (entry.kind === 'group') return n + count(entry.entries, merged);
      return n + (deepEqual(valueAt(merged, entry.path), entry.defaultValue) ? 0 : 1);
    }, 0);
  return count(configEntries(defaults), { ...defaults, ...overrides });
}
