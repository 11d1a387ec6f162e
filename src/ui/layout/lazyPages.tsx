// The pages after the first, loaded when first opened (React.lazy), so the initial bundle holds
// only the frame and the Task Explorer: the Builder's model code, the Runs page's charts (Recharts),
// the Compare page and the Classroom come in their own chunks. While a page loads, a placeholder of a page's height
// keeps the footer where it will be.
import { lazy, Suspense, type ComponentType, type LazyExoticComponent } from 'react';
import { startGatedRunController } from '../../runs/gatedRunController.ts';
import { runsStoreLedger } from '../../state/runsLedger.ts';

// Interrupted runs resume when the app loads, whichever page it opens on, and the explorer lists
// the finished runs it can show predictions of: the controller cannot wait for the Runs page chunk.
// Resumed runs go through the training gate first, as launched ones do (gatedRunController.ts).
if (typeof window !== 'undefined' && typeof Worker !== 'undefined') startGatedRunController(runsStoreLedger).catch(() => {});

const Builder = lazy(() => import('../builder/Builder.tsx').then((module) => ({ default: module.Builder })));
const RunsPage = lazy(() => import('../run/RunsPage.tsx').then((module) => ({ default: module.RunsPage })));
const ComparePage = lazy(() => import('../compare/ComparePage.tsx').then((module) => ({ default: module.ComparePage })));
const GpuCheckPage = lazy(() => import('../gpuCheck/GpuCheckPage.tsx').then((module) => ({ default: module.GpuCheckPage })));
const ClassroomPage = lazy(() => import('../classroom/ClassroomPage.tsx').then((module) => ({ default: module.ClassroomPage })));

function PageLoading({ title }: { title: string }) {
  return (
    <div className="page-loading" role="status" style={{ minHeight: '80vh' }}>
      Loading {title}…
    </div>
  );
}

function withLoading(Page: LazyExoticComponent<ComponentType>, title: string) {
  return function LazyPage() {
    return (
      <Suspense fallback={<PageLoading title={title} />}>
        <Page />
      </Suspense>
    );
  };
}

export const LazyBuilder = withLoading(Builder, 'the Builder');
export const LazyRunsPage = withLoading(RunsPage, 'the Runs page');
export const LazyComparePage = withLoading(ComparePage, 'the Compare page');
export const LazyClassroomPage = withLoading(ClassroomPage, 'the Classroom');
export const LazyGpuCheckPage = withLoading(GpuCheckPage, 'the GPU check');
