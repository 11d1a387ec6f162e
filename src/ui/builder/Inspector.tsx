// Settings of the selected block: a form generated from the layer's configs/layers/<type>.yml.
// Typed values are drafts until the field is left or Enter is pressed; then every pending draft
// is applied together, so settings that must change together (mh-attention's n_heads and
// rotary_emb_dim) can be edited one after the other. A value the layer refuses stays in its field
// with the layer's reason beside it (on the field the refusal names by its keys, never found by
// reading the message), and the model keeps its old value.
import { useId, useState, type KeyboardEvent } from 'react';
import { layerDefaults } from '../../config/layerConfigs.ts';
import { layerDefinition } from '../../layers/registry.ts';
import type { LayerConfig } from '../../layers/types.ts';
import type { ArchitectureLayer } from '../../model/architecture.ts';
import { useBuilderStore } from '../../state/builderStore.ts';
import { useAnnounce } from './announcer.ts';
import {
  configEntries,
  deepEqual,
  formatValue,
  overridesWith,
  parseFieldText,
  valueAt,
  type ConfigEntry,
  type ConfigField,
} from './configFields.ts';

const pathKey = (path: readonly string[]) => path.join('.');

function fieldsOf(entries: readonly ConfigEntry[]): ConfigField[] {
  return entries.flatMap((entry) => (entry.kind === 'group' ? fieldsOf(entry.entries) : [entry]));
}

/** The form's field at `keys` (a refusal's config keys), if the form shows one there. */
function fieldAt(keys: readonly string[] | undefined, fields: readonly ConfigField[]): ConfigField | undefined {
  return keys === undefined ? undefined : fields.find((field) => pathKey(field.path) === pathKey(keys));
}

interface BlockSettingsProps {
  index: number;
  layer: ArchitectureLayer;
}

function BlockSettings({ index, layer }: BlockSettingsProps) {
  const updateConfig = useBuilderStore((state) => state.updateConfig);
  const announce = useAnnounce();
  const formId = useId();
  const definition = layerDefinition(layer.type);
  const defaults = layerDefaults(layer.type);
  const entries = configEntries(defaults);
  const fields = fieldsOf(entries);
  const overrides = layer.config ?? {};
  const merged = { ...defaults, ...overrides };
  const [drafts, setDrafts] = useState<Readonly<Record<string, string>>>({});
  const [errors, setErrors] = useState<Readonly<Record<string, string>>>({});

  /** Applies every text draft plus `extra` (a checkbox just toggled) as one change, or shows why not. */
  function apply(pending: Readonly<Record<string, string>>, extra?: { field: ConfigField; value: unknown }): void {
    let next: LayerConfig = overrides;
    const changed: string[] = [];
    for (const field of fields) {
      const text = pending[pathKey(field.path)];
      if (text === undefined || field.kind === 'boolean') continue;
      const parsed = parseFieldText(field.kind, text);
      if (!parsed.ok) {
        setErrors({ [pathKey(field.path)]: parsed.reason });
        return;
      }
      if (!deepEqual(parsed.value, valueAt(merged, field.path))) changed.push(`${pathKey(field.path)} ${formatValue(parsed.value) || 'derived'}`);
      next = overridesWith(defaults, next, field.path, parsed.value);
    }
    if (extra) {
      changed.push(`${pathKey(extra.field.path)} ${String(extra.value)}`);
      next = overridesWith(defaults, next, extra.field.path, extra.value);
    }
    if (changed.length === 0) {
      setDrafts({});
      setErrors({});
      return;
    }
    const result = updateConfig(index, next);
    if (result.ok) {
      setDrafts({});
      setErrors({});
      announce(`${definition.name}: ${changed.join(', ')}.`);
      return;
    }
    const named = fieldAt(result.configKeys, fields) ?? extra?.field ?? fields.find((f) => pending[pathKey(f.path)] !== undefined);
    setErrors({ [named ? pathKey(named.path) : '']: result.reason });
    announce(`Not applied: ${result.reason}`);
  }

  function resetAll() {
    setDrafts({});
    setErrors({});
    if (Object.keys(overrides).length === 0) return;
    updateConfig(index, {});
    announce(`${definition.name}: every setting back to its default.`);
  }

  function renderEntry(entry: ConfigEntry) {
    const key = pathKey(entry.path);
    if (entry.kind === 'group') {
      return (
        <fieldset key={key} className="config-group">
          <legend>{entry.key}</legend>
          {entry.entries.map(renderEntry)}
        </fieldset>
      );
    }
    const id = `${formId}-${key}`;
    const current = valueAt(merged, entry.path);
    const isChanged = !deepEqual(current, entry.defaultValue);
    const error = errors[key];
    const hint = `default ${formatValue(entry.defaultValue) || 'derived'}`;
    const describedBy = `${id}-hint${error ? ` ${id}-error` : ''}`;
    if (entry.kind === 'boolean') {
      return (
        <div key={key} className="config-field config-field-boolean" data-changed={isChanged || undefined}>
          <input
            id={id}
            type="checkbox"
            checked={current === true}
            aria-invalid={error ? true : undefined}
            aria-describedby={describedBy}
            onChange={(event) => apply(drafts, { field: entry, value: event.target.checked })}
          />
          <label htmlFor={id}>{entry.key}</label>
          <span id={`${id}-hint`} className="field-hint">
            {hint}
          </span>
          {error && (
            <p id={`${id}-error`} className="field-error" role="alert">
              {error}
            </p>
          )}
        </div>
      );
    }
    const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
      if (event.key === 'Enter') {
        event.preventDefault();
        apply(drafts);
      } else if (event.key === 'Escape' && drafts[key] !== undefined) {
        event.preventDefault();
        const { [key]: _dropped, ...rest } = drafts;
        setDrafts(rest);
        setErrors({});
      }
    };
    return (
      <div key={key} className="config-field" data-changed={isChanged || undefined}>
        <label htmlFor={id}>{entry.key}</label>
        <input
          id={id}
          type="text"
          inputMode={entry.kind === 'text' ? 'text' : 'decimal'}
          spellCheck={false}
          autoComplete="off"
          placeholder={entry.kind === 'derived' ? 'derived' : undefined}
          value={drafts[key] ?? formatValue(current)}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          onChange={(event) => setDrafts({ ...drafts, [key]: event.target.value })}
          onBlur={() => {
            if (drafts[key] !== undefined) apply(drafts);
          }}
          onKeyDown={onKeyDown}
        />
        <span id={`${id}-hint`} className="field-hint">
          {hint}
        </span>
        {error && (
          <p id={`${id}-error`} className="field-error" role="alert">
            {error}
          </p>
        )}
      </div>
    );
  }

  return (
    <div className="block-settings">
      <h3 className="block-settings-title">
        <span className="block-position">{index + 1}</span>
        <code className="block-shorthand">{definition.shorthand}</code> {definition.name}
      </h3>
      <p className="block-description">{definition.description}</p>
      <form className="config-form" aria-label={`${definition.name} settings`} onSubmit={(event) => event.preventDefault()}>
        {entries.map(renderEntry)}
        {errors[''] && (
          <p className="field-error" role="alert">
            {errors['']}
          </p>
        )}
      </form>
      <p className="block-settings-foot">
        <span className="field-hint">The width d is set for the whole model, under Model.</span>
        <button type="button" className="button button-quiet" onClick={resetAll} disabled={Object.keys(overrides).length === 0 && Object.keys(drafts).length === 0}>
          Reset to defaults
        </button>
      </p>
    </div>
  );
}

export function Inspector() {
  const selected = useBuilderStore((state) => state.selected);
  const layer = useBuilderStore((state) => (state.selected === null ? undefined : state.spec.layers[state.selected]));
  return (
    <section className="builder-panel inspector" aria-labelledby="inspector-title">
      <h2 id="inspector-title" className="panel-title">
        Block settings
      </h2>
      {selected === null || layer === undefined ? (
        <p className="panel-hint">Select a block in the model to see and change its settings.</p>
      ) : (
        <BlockSettings key={`${selected}:${layer.type}`} index={selected} layer={layer} />
      )}
    </section>
  );
}
