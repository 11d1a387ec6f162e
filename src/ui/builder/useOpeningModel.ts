// What the builder shows when the page opens: the model of a share link in the URL if there is
// one and it is valid, otherwise the work saved from the last visit. A link that cannot be opened
// is explained and changes nothing that was saved. The link is then removed from the address bar
// (the page stays), so a reload does not open it again over later edits. Links pasted into the
// address bar while the page is open are handled the same way. A saved draft over the size limits
// is discarded with a notice, so the next reload does not meet it again.
import { useEffect, useState } from 'react';
import { useBuilderStore } from '../../state/builderStore.ts';
import { hasShareLink } from '../../share/urlCodec.ts';
import { pageHref } from '../layout/useHashRoute.ts';
import { BUILDER_PAGE_ID } from './builderLink.ts';
import { discardDraft, readDraft, writeDraft } from './builderDraft.ts';
import { openSharedModel } from './openSharedModel.ts';

export type LinkNotice = { kind: 'opened'; text: string } | { kind: 'failed'; text: string } | { kind: 'draft-discarded'; text: string };

// Once per page load: the store outlives the page component (navigation between pages, React's
// double effects in development), and the draft must be restored only into a fresh store.
let draftRestored = false;

/** Restores the draft of the last visit into the store; a notice when it had to be discarded. */
function restoreDraft(): LinkNotice | null {
  const draft = readDraft();
  if (draft.kind === 'spec') useBuilderStore.getState().restore(draft.spec);
  if (draft.kind !== 'oversize') return null;
  discardDraft();
  return { kind: 'draft-discarded', text: `The model saved from your last visit was too large to open, so it was discarded: ${draft.reason}` };
}

function openLinkInAddressBar(): LinkNotice | null {
  const hash = window.location.hash;
  if (!hasShareLink(hash)) return null;
  const outcome = openSharedModel(hash);
  window.history.replaceState(null, '', pageHref(BUILDER_PAGE_ID));
  return outcome.ok ? { kind: 'opened', text: outcome.message } : { kind: 'failed', text: outcome.reason };
}

export function useOpeningModel(): [LinkNotice | null, () => void] {
  const [notice, setNotice] = useState<LinkNotice | null>(null);

  useEffect(() => {
    if (!draftRestored) {
      draftRestored = true;
      const discarded = restoreDraft();
      if (discarded) setNotice(discarded);
    }
    const unsubscribe = useBuilderStore.subscribe((state, previous) => {
      if (state.spec !== previous.spec) writeDraft(state.spec);
    });
    const fromLink = openLinkInAddressBar();
    if (fromLink) setNotice(fromLink);

    const onHashChange = () => {
      const next = openLinkInAddressBar();
      if (next) setNotice(next);
    };
    window.addEventListener('hashchange', onHashChange);
    return () => {
      window.removeEventListener('hashchange', onHashChange);
      unsubscribe();
    };
  }, []);

  return [notice, () => setNotice(null)];
}
