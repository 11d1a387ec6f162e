// The training gate as React state: starts the quick GPU check once WebGPU is known to be there
// (so it is usually done before Run is pressed) and re-renders as it progresses.
import { useEffect, useSyncExternalStore } from 'react';
import { ensureGpuChecked, gpuGateState, subscribeGpuGate, type GpuGateState } from '../../runs/gpuCheckGate.ts';
import { useWebGpuSupport } from '../layout/useWebGpuSupport.ts';

export function useGpuGate(): GpuGateState {
  const support = useWebGpuSupport();
  const gate = useSyncExternalStore(subscribeGpuGate, gpuGateState);
  useEffect(() => {
    if (support.status === 'available') void ensureGpuChecked();
  }, [support.status]);
  return gate;
}
