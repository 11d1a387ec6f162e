// Named architectures from configs/presets (the paper's models and classic designs) to start
// from. Loading one is a single undoable change.
import { useMemo, useState } from 'react';
import { loadPresets, type Preset } from '../../model/presets.ts';
import { useBuilderStore } from '../../state/builderStore.ts';
import { useAnnounce } from './announcer.ts';

type PresetList = { ok: true; presets: readonly Preset[] } | { ok: false; reason: string };

function readPresets(): PresetList {
  try {
    return { ok: true, presets: loadPresets() };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
}

const SOURCE_TITLES = { paper: 'From the MAD paper', classic: 'Classic designs' } as const;

export function PresetPicker() {
  const list = useMemo(readPresets, []);
  const loadPreset = useBuilderStore((state) => state.loadPreset);
  const announce = useAnnounce();
  const [chosen, setChosen] = useState('');
  if (!list.ok) {
    return (
      <p className="field-error" role="alert">
        Presets are unavailable: {list.reason}
      </p>
    );
  }
  const preset = list.presets.find((p) => p.id === chosen);
  const load = () => {
    if (!preset) return;
    const result = loadPreset(preset.id);
    announce(result.ok ? `Loaded the preset ${preset.name}.` : `Cannot load ${preset.name}: ${result.reason}`);
  };
  return (
    <div className="preset-picker">
      <label htmlFor="preset-select">Start from a preset</label>
      <select id="preset-select" value={chosen} onChange={(event) => setChosen(event.target.value)} aria-describedby="preset-description">
        <option value="">Choose a preset…</option>
        {(['paper', 'classic'] as const).map((source) => (
          <optgroup key={source} label={SOURCE_TITLES[source]}>
            {list.presets
              .filter((p) => p.source === source)
              .map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
          </optgroup>
        ))}
      </select>
      <button type="button" className="button" onClick={load} disabled={!preset}>
        Load preset
      </button>
      <p id="preset-description" className="preset-description">
        {preset?.description ?? ' '}
      </p>
    </div>
  );
}
