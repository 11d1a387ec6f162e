// The local library (this browser's storage): save the model under a name, open or delete saved
// ones. Entries that cannot be read are reported and left untouched; only Save and Delete write.
import { useMemo, useState } from 'react';
import { MAX_NAME_LENGTH } from '../../config/sizePolicy.ts';
import { modelId } from '../../model/architecture.ts';
import { createLibrary, LibraryError, localStorageStorage, type Library } from '../../share/library.ts';
import { useBuilderStore } from '../../state/builderStore.ts';
import { useAnnounce } from './announcer.ts';

type LibraryAccess = { ok: true; library: Library } | { ok: false; reason: string };

function openLibrary(): LibraryAccess {
  try {
    return { ok: true, library: createLibrary(localStorageStorage()) };
  } catch (err) {
    // Browsers throw on localStorage access when site data is blocked.
    return { ok: false, reason: `This browser does not let MAD Lab store data (${err instanceof Error ? err.message : String(err)}); export JSON files instead.` };
  }
}

const SAVED_AT = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' });

export function SavedLibrary() {
  const access = useMemo(openLibrary, []);
  const spec = useBuilderStore((state) => state.spec);
  const loadArchitecture = useBuilderStore((state) => state.loadArchitecture);
  const announce = useAnnounce();
  const [name, setName] = useState<string | null>(null);
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const [version, setVersion] = useState(0); // bumped after every write, to list again
  const listing = useMemo(() => (access.ok ? access.library.list() : null), [access, version]);

  if (!access.ok || !listing) {
    return (
      <div className="share-section">
        <h3>Library</h3>
        <p className="field-error">{access.ok ? '' : access.reason}</p>
      </div>
    );
  }
  const { library } = access;
  const saveName = name ?? spec.name ?? '';

  function report(error: boolean, text: string) {
    setMessage({ error, text });
    if (!error) announce(text);
  }

  function save() {
    try {
      const entry = library.save({ name: saveName.trim(), state: { architecture: spec } });
      setName(null);
      setVersion((v) => v + 1);
      report(false, `Saved "${entry.name}" to the library.`);
    } catch (err) {
      if (!(err instanceof LibraryError)) throw err;
      report(true, err.message);
    }
  }

  function open(id: string) {
    try {
      const entry = library.get(id);
      if (!entry) throw new LibraryError('That entry was deleted meanwhile, perhaps in another tab.');
      const result = loadArchitecture(entry.state.architecture);
      if (!result.ok) throw new LibraryError(`"${entry.name}" describes a model the builder cannot open: ${result.reason}.`);
      report(false, `Opened "${entry.name}". Undo brings back the model you had.`);
    } catch (err) {
      if (!(err instanceof LibraryError)) throw err;
      report(true, err.message);
    }
  }

  function remove(id: string, entryName: string) {
    library.remove(id);
    setVersion((v) => v + 1);
    report(false, `Deleted "${entryName}" from the library.`);
  }

  return (
    <div className="share-section">
      <h3>Library</h3>
      <form
        className="share-row"
        onSubmit={(event) => {
          event.preventDefault();
          save();
        }}
      >
        <label htmlFor="library-name" className="visually-hidden">
          Name to save under
        </label>
        <input
          id="library-name"
          type="text"
          placeholder="Name to save under"
          autoComplete="off"
          maxLength={MAX_NAME_LENGTH}
          value={saveName}
          onChange={(event) => setName(event.target.value)}
        />
        <button type="submit" className="button" disabled={spec.layers.length === 0}>
          Save to library
        </button>
      </form>
      <p className={message?.error ? 'field-error' : 'field-hint'} role={message?.error ? 'alert' : 'status'}>
        {message?.text ?? 'Saved models stay in this browser.'}
      </p>
      {listing.problems.map((p) => (
        <p key={p.key} className="field-error">
          {p.problem}
        </p>
      ))}
      {listing.entries.length === 0 ? (
        <p className="field-hint">Nothing saved yet.</p>
      ) : (
        <ul className="library-list" aria-label="Saved models" data-testid="library-list">
          {listing.entries.map((entry) => (
            <li key={entry.id} className="library-entry">
              <span className="library-entry-name">{entry.name}</span>
              <code className="library-entry-id">{modelId(entry.state.architecture)}</code>
              <span className="field-hint">{SAVED_AT.format(new Date(entry.savedAt))}</span>
              <button type="button" className="button" onClick={() => open(entry.id)} aria-label={`Open ${entry.name}`}>
                Open
              </button>
              <button type="button" className="button" onClick={() => remove(entry.id, entry.name)} aria-label={`Delete ${entry.name}`}>
                Delete
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
