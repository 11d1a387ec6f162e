// Status line: tells the user up front whether this browser can train models. It makes the same
// adapter, limit and device check as the Builder's notice and the trainer (useWebGpuSupport), so
// the footer never says training works where a page says it cannot.
import { GPU_CHECK_PAGE_ID } from '../gpuCheck/gpuCheckPageId.ts';
import { pageHref } from './useHashRoute.ts';
import { useWebGpuSupport, type WebGpuSupport } from './useWebGpuSupport.ts';

function statusText(support: WebGpuSupport): string {
  switch (support.status) {
    case 'checking':
      return 'Checking whether this browser can train models with WebGPU…';
    case 'available':
      return 'WebGPU is available in this browser: models can be trained here.';
    case 'unavailable':
      return `WebGPU is not available for training in this browser: ${support.reason} The Task Explorer and the Builder work without it.`;
  }
}

export function StatusFooter() {
  const support = useWebGpuSupport();
  return (
    <footer className="app-footer">
      <p className="webgpu-status" data-available={support.status === 'available'} data-status={support.status} role="status">
        <span className="status-dot" aria-hidden="true" />
        {statusText(support)}
      </p>
      {support.status === 'available' && (
        <a className="gpu-check-link" href={pageHref(GPU_CHECK_PAGE_ID)}>
          Check this GPU’s kernels
        </a>
      )}
    </footer>
  );
}
