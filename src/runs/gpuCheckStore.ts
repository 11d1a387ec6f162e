// GPU check results kept in localStorage, one per adapter and build (GpuCheckIdentity.key): a small
// record the training gate reads before the first run, so an adapter is checked once per build;
// its measured training speed (AdapterSpeed, kept once measured) gives every ETA of the app.
// A report with a planted fault is never kept: it says nothing about the adapter.

import type { GpuCheckReport } from '../worker/gpuCheckApi.ts';

const PREFIX = 'mad-lab-gpu-check:';

export function storedGpuCheck(key: string): GpuCheckReport | null {
  try {
    const text = globalThis.localStorage?.getItem(PREFIX + key);
    if (!text) return null;
    const report = JSON.parse(text) as GpuCheckReport;
    return report.identity?.key === key && Array.isArray(report.results) ? report : null;
  } catch {
    return null; // unreadable or blocked storage: check again
  }
}

export function storeGpuCheck(report: GpuCheckReport): void {
  if (report.request.fault !== null) return;
  try {
    globalThis.localStorage?.setItem(PREFIX + report.identity.key, JSON.stringify(report));
  } catch {
    // Full or blocked storage: the check runs again next time, which is slower but safe.
  }
}
