// The page list and the app frame. The Task Explorer is in the initial bundle; the other pages
// load when first opened (src/ui/layout/lazyPages.tsx).
import { AppFrame } from './ui/layout/AppFrame.tsx';
import type { AppPage } from './ui/layout/appPage.ts';
import { TaskExplorer } from './ui/explorer/TaskExplorer.tsx';
import { LazyBuilder, LazyClassroomPage, LazyComparePage, LazyGpuCheckPage, LazyRunsPage } from './ui/layout/lazyPages.tsx';
import { GPU_CHECK_PAGE_ID } from './ui/gpuCheck/gpuCheckPageId.ts';

const APP_PAGES: readonly AppPage[] = [
  { id: 'explorer', title: 'Task Explorer', render: () => <TaskExplorer /> },
  { id: 'builder', title: 'Builder', render: () => <LazyBuilder /> },
  { id: 'runs', title: 'Runs', render: () => <LazyRunsPage /> },
  { id: 'compare', title: 'Compare', render: () => <LazyComparePage /> },
  { id: 'classroom', title: 'Classroom', render: () => <LazyClassroomPage /> },
  { id: GPU_CHECK_PAGE_ID, title: 'GPU check', render: () => <LazyGpuCheckPage />, inNav: false },
];

export function App() {
  return <AppFrame pages={APP_PAGES} />;
}
