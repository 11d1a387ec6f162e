// The current page id lives in the URL hash ('#/explorer') so a link opens the same page and
// Back/Forward move between pages; unknown or missing ids fall back to the first page. Anything
// after '&' belongs to the page (a share link: '#/builder&mad=v1.…'), not to the route.
import { useSyncExternalStore } from 'react';

function readHashPageId(): string {
  return window.location.hash.replace(/^#\/?/, '').split('&')[0]!;
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
