// Status line: tells the user up front whether this browser can train models (WebGPU).
// A presence check is enough here; adapter, feature and limit checks belong to src/gpu.
const webGpuAvailable = typeof navigator !== 'undefined' && 'gpu' in navigator;

export function StatusFooter() {
  return (
    <footer className="app-footer">
      <p className="webgpu-status" data-available={webGpuAvailable}>
        <span className="status-dot" aria-hidden="true" />
        {webGpuAvailable
          ? 'WebGPU is available in this browser: models can be trained here.'
          : 'WebGPU is not available in this browser. The Task Explorer works; to train models, use a recent Chrome or Edge.'}
      </p>
    </footer>
  );
}
