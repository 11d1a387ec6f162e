// The model as a link (always current, copyable), with the Runs launcher's settings so the link
// reproduces the experiment, and a field to open a link someone sent. A link that cannot be
// opened is explained and changes nothing: not the model, not the launcher, not the library.
import { useState } from 'react';
import { useBuilderStore } from '../../state/builderStore.ts';
import { useLauncherChoice } from '../../state/launcherStore.ts';
import { useAnnounce } from './announcer.ts';
import { experimentLink } from './builderLink.ts';
import { CopyButton } from './CopyButton.tsx';
import { openSharedModel } from './openSharedModel.ts';

export function ShareLink() {
  const spec = useBuilderStore((state) => state.spec);
  const announce = useAnnounce();
  const [pasted, setPasted] = useState('');
  const [openError, setOpenError] = useState<string | null>(null);
  const choice = useLauncherChoice();
  const shared = spec.layers.length > 0 ? experimentLink(window.location.href, spec, choice) : null;
  const link = shared?.ok ? shared.link : '';
  const linkNote = shared === null ? null : shared.ok ? shared.runLeftOut : shared.problem;

  function openPasted() {
    const outcome = openSharedModel(pasted);
    if (outcome.ok) {
      setPasted('');
      setOpenError(null);
      announce(outcome.message);
    } else setOpenError(outcome.reason);
  }

  return (
    <div className="share-section">
      <h3>Link</h3>
      <label htmlFor="share-link" className="field-label">
        A link to this model and the Runs page’s settings
      </label>
      <div className="share-row">
        <input
          id="share-link"
          className="share-link-field"
          type="text"
          readOnly
          value={link}
          placeholder="Add a block to get a link"
          aria-describedby={linkNote ? 'share-link-note' : undefined}
          onFocus={(event) => event.target.select()}
        />
        <CopyButton text={link} label="Copy link" sourceId="share-link" />
      </div>
      {linkNote && (
        <p id="share-link-note" className="field-error">
          {linkNote}
        </p>
      )}
      <form
        className="share-row"
        onSubmit={(event) => {
          event.preventDefault();
          openPasted();
        }}
      >
        <label htmlFor="open-link" className="visually-hidden">
          Open a MAD Lab link
        </label>
        <input
          id="open-link"
          type="text"
          className="share-link-field"
          placeholder="Paste a MAD Lab link to open it"
          value={pasted}
          autoComplete="off"
          spellCheck={false}
          aria-invalid={openError ? true : undefined}
          aria-describedby="open-link-message"
          onChange={(event) => setPasted(event.target.value)}
        />
        <button type="submit" className="button" disabled={pasted.trim() === ''}>
          Open link
        </button>
      </form>
      <p id="open-link-message" className={openError ? 'field-error' : 'field-hint'} role={openError ? 'alert' : undefined}>
        {openError ?? 'Opening a link replaces the model here; Undo brings yours back.'}
      </p>
    </div>
  );
}
