// The page list and the app frame. New pages (Builder, Runs, Classroom) are added to APP_PAGES.
import { AppFrame } from './ui/layout/AppFrame.tsx';
import type { AppPage } from './ui/layout/appPage.ts';
import { TaskExplorer } from './ui/explorer/TaskExplorer.tsx';

const APP_PAGES: readonly AppPage[] = [
  { id: 'explorer', title: 'Task Explorer', render: () => <TaskExplorer /> },
];

export function App() {
  return <AppFrame pages={APP_PAGES} />;
}
