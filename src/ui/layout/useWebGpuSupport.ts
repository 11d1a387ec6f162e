// Whether this browser can train models: the adapter and limit checks the trainer makes, asked
// on the page without a device (runs/webGpuProbe.ts), run once per page load and shared by the
// status footer and the Builder's notice. While the check runs the answer is 'checking', so
// nothing claims support or its absence too early. An available adapter comes with the kernel
// target it trains with, so the Builder plans its memory figure for this machine's kernels.
import { useEffect, useState } from 'react';
import { kernelTargetFor, type KernelTarget } from '../../config/kernelTarget.ts';
import { probeWebGpu } from '../../runs/webGpuProbe.ts';

export type WebGpuSupport = { status: 'checking' } | { status: 'available'; target: KernelTarget } | { status: 'unavailable'; reason: string };

let check: Promise<WebGpuSupport> | null = null;
/** The answer once known, so pages opened later in the session render it at once. */
let known: WebGpuSupport | null = null;

async function checkWebGpu(): Promise<WebGpuSupport> {
  const probe = await probeWebGpu();
  return probe.available ? { status: 'available', target: kernelTargetFor(probe.adapter) } : { status: 'unavailable', reason: probe.reason };
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
