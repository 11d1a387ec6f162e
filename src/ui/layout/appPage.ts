// One top-level page of the app: its URL id (the part after '#/'), its navigation title and its content.
import type { ReactNode } from 'react';

export interface AppPage {
  id: string;
  title: string;
  render: () => ReactNode;
  /** False for a page reached from elsewhere (the GPU check, from the status footer), not the header. */
  inNav?: boolean;
}
