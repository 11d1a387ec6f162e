// Product name, the navigation between pages and app-wide controls (`actions`).
import type { ReactNode } from 'react';
import type { AppPage } from './appPage.ts';
import { pageHref } from './useHashRoute.ts';

interface AppHeaderProps {
  pages: readonly AppPage[];
  currentId: string;
  actions?: ReactNode;
}

export function AppHeader({ pages, currentId, actions }: AppHeaderProps) {
  return (
    <header className="app-header">
      <div className="app-brand">
        <img className="app-logo" src="/favicon.svg" alt="" width={28} height={28} />
        <span className="app-name">MAD Lab</span>
        <span className="app-tagline">sequence-model architectures on the MAD synthetic tasks</span>
      </div>
      <nav className="app-nav" aria-label="Pages">
        <ul>
          {pages.map((page) => (
            <li key={page.id}>
              <a
                className="app-nav-link"
                href={pageHref(page.id)}
                aria-current={page.id === currentId ? 'page' : undefined}
              >
                {page.title}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {actions}
    </header>
  );
}
