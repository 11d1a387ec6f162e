// Says plainly when this browser cannot train models, why, and which browsers can; and that the
// builder (counts, export, sharing) works anyway. Nothing is shown while checking or when WebGPU works.
import { useWebGpuSupport } from '../layout/useWebGpuSupport.ts';

export function WebGpuNotice() {
  const support = useWebGpuSupport();
  if (support.status !== 'unavailable') return null;
  return (
    <section className="builder-notice notice-warn" aria-labelledby="webgpu-notice-title" data-testid="webgpu-notice">
      <h2 id="webgpu-notice-title">This browser cannot train models</h2>
      <p>{support.reason}</p>
      <p>
        Training needs WebGPU: Chrome or Edge 113 or later on desktop, or Safari and Firefox with WebGPU turned on. Everything
        else works here: build a model, see its parameters, state, memory and FLOPs, export it, share it, and explore the tasks.
      </p>
    </section>
  );
}
