// The current page id lives in the URL hash ('#/explorer') so a link opens the same page and
// Back/Forward move between pages; unknown or missing ids fall back to the first page. Anything
// after '&' belongs to the page (a share link: '#/builder&mad=v2.…'), not to the route. Share
// links written before they carried a route ('#mad=v1.…') go to the page that opens shared states.
import { useSyncExternalStore } from 'react';
import { isBareShareFragment, SHARE_PAGE_ID } from '../../share/urlCodec.ts';

/** The page id a URL fragment (without '#') asks for. */
export function pageIdOfFragment(fragment: string): string {
  if (isBareShareFragment(fragment)) return SHARE_PAGE_ID;
  return fragment.replace(/^\//, '').split('&')[0]!;
}

function readHashPageId(): string {
  return pageIdOfFragment(window.location.hash.replace(/^#/, ''));
}

function subscribeToHash(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function useHashRoute(knownIds: readonly string[]): string {
  const requested = useSyncExternalStore(subscribeToHash, readHashPageId);
  return knownIds.includes(requested) ? requested : knownIds[0];
}

export function pageHref(id: string): string {
  return `#/${id}`;
}
