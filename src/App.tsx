// The page list and the app frame. The Task Explorer is in the initial bundle; the other pages
// load when first opened (src/ui/layout/lazyPages.tsx).
import { AppFrame } from './ui/layout/AppFrame.tsx';
import type { AppPage } from './ui/layout/appPage.ts';
import { TaskExplorer } from './ui/explorer/TaskExplorer.tsx';
import { LazyBuilder, LazyClassroomPage, LazyComparePage, LazyRunsPage } from './ui/layout/lazyPages.tsx';

const APP_PAGES: readonly AppPage[] = [
  { id: 'explorer', title: 'Task Explorer', render: () => <TaskExplorer /> },
  { id: 'builder', title: 'Builder', render: () => <LazyBuilder /> },
  { id: 'runs', title: 'Runs', render: () => <LazyRunsPage /> },
  { id: 'compare', title: 'Compare', render: () => <LazyComparePage /> },
  { id: 'classroom', title: 'Classroom', render: () => <LazyClassroomPage /> },
];

export function App() {
  return <AppFrame pages={APP_PAGES} />;
}
