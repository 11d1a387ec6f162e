// The model as a JSON file to keep, diff or edit, and back. An import that cannot be read says why
// and changes nothing; a file larger than any model within the size policy is refused by its size
// before its text is read.
import { useState, type ChangeEvent } from 'react';
import { modelId } from '../../model/architecture.ts';
import { architectureFileSizeProblem, exportArchitectureJson, exportFileName, importArchitectureJson, JsonImportError } from '../../share/jsonExport.ts';
import { useBuilderStore } from '../../state/builderStore.ts';
import { useAnnounce } from './announcer.ts';
import { downloadText } from './download.ts';

export function JsonTransfer() {
  const spec = useBuilderStore((state) => state.spec);
  const loadArchitecture = useBuilderStore((state) => state.loadArchitecture);
  const announce = useAnnounce();
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const empty = spec.layers.length === 0;

  function exportJson() {
    const state = { architecture: spec };
    downloadText(exportFileName(state), exportArchitectureJson(state), 'application/json');
    setMessage({ error: false, text: `Saved ${exportFileName(state)}.` });
  }

  async function importJson(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = ''; // choosing the same file again must fire another change
    if (!file) return;
    try {
      const tooLarge = architectureFileSizeProblem(file.size);
      if (tooLarge !== null) throw new JsonImportError(tooLarge);
      const { architecture } = importArchitectureJson(await file.text());
      const result = loadArchitecture(architecture);
      if (!result.ok) throw new JsonImportError(`This file describes a model the builder cannot open: ${result.reason}.`);
      const text = `Opened ${file.name} (${modelId(architecture)}). Undo brings back the model you had.`;
      setMessage({ error: false, text });
      announce(text);
    } catch (err) {
      if (!(err instanceof JsonImportError)) throw err;
      setMessage({ error: true, text: `${file.name}: ${err.message}` });
    }
  }

  return (
    <div className="share-section">
      <h3>JSON file</h3>
      <div className="share-row">
        <button type="button" className="button" onClick={exportJson} disabled={empty}>
          Export JSON
        </button>
        <label className="button file-button">
          Import JSON…
          <input type="file" accept=".json,application/json" className="visually-hidden" onChange={(event) => void importJson(event)} />
        </label>
      </div>
      <p className={message?.error ? 'field-error' : 'field-hint'} role={message?.error ? 'alert' : 'status'}>
        {message?.text ?? 'The architecture as readable JSON, exactly as the lab holds it.'}
      </p>
    </div>
  );
}
