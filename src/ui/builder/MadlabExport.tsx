// The way out to mad-lab and back: the benchmark command line, what it would lose, the Python file
// with make_model_fn (plus the yml of every layer with changed settings) that reproduces the model
// exactly; and a field to open a mad-lab command as a model.
import { useState } from 'react';
import { modelId } from '../../model/architecture.ts';
import { madlabBenchmarkCommand, madlabCommandNotes, madlabExportFiles, madlabRefusal } from '../../share/madlabExport.ts';
import { useBuilderStore } from '../../state/builderStore.ts';
import { useAnnounce } from './announcer.ts';
import { CopyButton } from './CopyButton.tsx';
import { downloadText } from './download.ts';
import { architectureFromMadlabCommand, MadlabCommandError } from './madlabCommandImport.ts';

function MadlabCommandOpener() {
  const loadArchitecture = useBuilderStore((state) => state.loadArchitecture);
  const announce = useAnnounce();
  const [command, setCommand] = useState('');
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);

  function open() {
    try {
      const spec = architectureFromMadlabCommand(command);
      const result = loadArchitecture(spec);
      if (!result.ok) throw new MadlabCommandError(result.reason);
      const text = `Opened ${modelId(spec)} from the command. Undo brings back the model you had.`;
      setCommand('');
      setMessage({ error: false, text });
      announce(text);
    } catch (err) {
      if (!(err instanceof MadlabCommandError)) throw err;
      setMessage({ error: true, text: err.message });
    }
  }

  return (
    <form
      className="share-row"
      onSubmit={(event) => {
        event.preventDefault();
        open();
      }}
    >
      <label htmlFor="madlab-command-input" className="visually-hidden">
        A mad-lab command to open
      </label>
      <input
        id="madlab-command-input"
        type="text"
        className="share-link-field"
        placeholder="Paste a mad-lab command (python -m benchmark --layers …) to open it"
        autoComplete="off"
        spellCheck={false}
        value={command}
        aria-invalid={message?.error ? true : undefined}
        aria-describedby="madlab-command-message"
        onChange={(event) => setCommand(event.target.value)}
      />
      <button type="submit" className="button" disabled={command.trim() === ''}>
        Open command
      </button>
      <p id="madlab-command-message" className={message?.error ? 'field-error' : 'field-hint'} role={message?.error ? 'alert' : 'status'}>
        {message?.text ?? ' '}
      </p>
    </form>
  );
}

export function MadlabExport() {
  const spec = useBuilderStore((state) => state.spec);
  const empty = spec.layers.length === 0;
  // Layers mad-lab lacks (delta-net, mamba2, …) have no command or make_model_fn to give.
  const refusal = empty ? null : madlabRefusal(spec);
  const exportable = !empty && refusal === null;
  const command = exportable ? madlabBenchmarkCommand(spec) : '';
  const notes = exportable ? madlabCommandNotes(spec) : [];
  const files = exportable ? madlabExportFiles(spec) : [];
  return (
    <div className="share-section share-section-wide">
      <h3>mad-lab</h3>
      <p className="field-label">Benchmark command (run in a mad-lab checkout)</p>
      <div className="share-row">
        <pre id="madlab-command" className="code-block" data-testid="madlab-command">
          {empty ? 'Add a block to get the command.' : (refusal ?? command)}
        </pre>
        {exportable && <CopyButton text={command} label="Copy command" sourceId="madlab-command" />}
      </div>
      {notes.length > 0 && (
        <ul className="share-notes">
          {notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}
      {files.map((file, i) => (
        <details key={file.path} className="share-file">
          <summary>
            <code>{file.path}</code> {i === 0 ? '— make_model_fn for benchmark()' : '— layer config'}
          </summary>
          <div className="share-row">
            <CopyButton text={file.text} label="Copy" sourceId={`madlab-file-${i}`} />
            <button type="button" className="button" onClick={() => downloadText(file.path.split('/').at(-1)!, file.text, 'text/plain')}>
              Download
            </button>
          </div>
          <pre id={`madlab-file-${i}`} className="code-block code-block-scroll">
            {file.text}
          </pre>
        </details>
      ))}
      <MadlabCommandOpener />
    </div>
  );
}
