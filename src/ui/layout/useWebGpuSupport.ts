// Whether this browser can train models: the same adapter, limit and device checks the trainer
// makes (src/gpu), run once per page load and shared by the status footer and the Builder's
// notice; the device is released at once. While the check runs the answer is 'checking', so
// nothing claims support or its absence too early.
import { useEffect, useState } from 'react';
import { acquireGpu } from '../../gpu/device.ts';
import { GpuUnavailableError } from '../../gpu/errors.ts';

export type WebGpuSupport = { status: 'checking' } | { status: 'available' } | { status: 'unavailable'; reason: string };

let check: Promise<WebGpuSupport> | null = null;
/** The answer once known, so pages opened later in the session render it at once. */
let known: WebGpuSupport | null = null;

async function checkWebGpu(): Promise<WebGpuSupport> {
  try {
    const gpu = await acquireGpu({ runtime: 'browser', label: 'MAD Lab support check' });
    gpu.device.destroy();
    return { status: 'available' };
  } catch (err) {
    if (err instanceof GpuUnavailableError) return { status: 'unavailable', reason: err.message };
    return { status: 'unavailable', reason: `WebGPU failed while starting (${err instanceof Error ? err.message : String(err)}).` };
  }
}

export function useWebGpuSupport(): WebGpuSupport {
  const [support, setSupport] = useState<WebGpuSupport>(() => known ?? { status: 'checking' });
  useEffect(() => {
    let active = true;
    check ??= checkWebGpu().then((result) => (known = result));
    void check.then((result) => {
      if (active) setSupport(result);
    });
    return () => {
      active = false;
    };
  }, []);
  return support;
}
