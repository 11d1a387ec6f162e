// The frame around every page: header with product name and navigation, the page, the status footer.
import type { MouseEvent } from 'react';
import type { AppPage } from './appPage.ts';
import { AppHeader } from './AppHeader.tsx';
import { PresentationToggle } from './PresentationToggle.tsx';
import { StatusFooter } from './StatusFooter.tsx';
import { useHashRoute } from './useHashRoute.ts';

const MAIN_CONTENT_ID = 'main-content';

interface AppFrameProps {
  pages: readonly AppPage[];
}

// The URL hash holds the page route, so the skip link moves focus itself instead of changing the hash.
function focusMainContent(event: MouseEvent<HTMLAnchorElement>) {
  event.preventDefault();
  document.getElementById(MAIN_CONTENT_ID)?.focus();
}

export function AppFrame({ pages }: AppFrameProps) {
  const currentId = useHashRoute(pages.map((page) => page.id));
  const current = pages.find((page) => page.id === currentId) ?? pages[0];
  return (
    <div className="app-frame">
      <a className="skip-link" href={`#${MAIN_CONTENT_ID}`} onClick={focusMainContent}>
        Skip to content
      </a>
      <AppHeader pages={pages.filter((page) => page.inNav !== false)} currentId={current.id} actions={<PresentationToggle />} />
      <main id={MAIN_CONTENT_ID} className="app-main" tabIndex={-1}>
        {current.render()}
      </main>
      <StatusFooter />
    </div>
  );
}
