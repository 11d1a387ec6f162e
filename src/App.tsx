// The page list and the app frame. New pages (Builder, Runs, Classroom) are added to APP_PAGES.
import { AppFrame } from './ui/layout/AppFrame.tsx';
import type { AppPage } from './ui/layout/appPage.ts';
import { TaskExplorer } from './ui/explorer/TaskExplorer.tsx';
import { Builder } from './ui/builder/Builder.tsx';
import { RunsPage } from './ui/run/RunsPage.tsx';

const APP_PAGES: readonly AppPage[] = [
  { id: 'explorer', title: 'Task Explorer', render: () => <TaskExplorer /> },
  { id: 'builder', title: 'Builder', render: () => <Builder /> },
  { id: 'runs', title: 'Runs', render: () => <RunsPage /> },
];

export function App() {
  return <AppFrame pages={APP_PAGES} />;
}
