// The training gate: before the first run on an adapter and build not yet checked, the gate's
// subset of the GPU check (checkSuite.ts GATE_KERNELS: the first check of each kernel every model
// trains with, on the kernel family the adapter trains with; the CLI's gate runs the same) runs in
// the GPU check worker; a failing kernel blocks the Run buttons and resumed runs until the adapter
// passes. The GPU check page's quick and full checks cover every other kernel. A result kept for
// this adapter and build (gpuCheckStore.ts, written by the gate or the GPU check page) is used as
// it is. `?gpucheck-fault=KERNEL` (test-only, docs/troubleshooting) corrupts one kernel's result and
// ignores any kept result, so the failure path runs even where a pass was stored.

import type { GpuCheckReport } from '../worker/gpuCheckApi.ts';
import { identifyGpu, runGpuCheck } from './gpuCheckClient.ts';
import { storedGpuCheck, storeGpuCheck } from './gpuCheckStore.ts';

export type GpuGateState =
  | { status: 'unchecked' }
  | { status: 'checking'; done: number; total: number }
  | { status: 'passed'; report: GpuCheckReport }
  | { status: 'failed'; report: GpuCheckReport; kernels: string[] }
  | { status: 'error'; message: string };

let state: GpuGateState = { status: 'unchecked' };
let pending: Promise<GpuGateState> | null = null;
const listeners = new Set<() => void>();

function set(next: GpuGateState): GpuGateState {
  state = next;
  for (const listener of listeners) listener();
  return next;
}

export function gpuGateState(): GpuGateState {
  return state;
}

export function subscribeGpuGate(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The kernel the URL asks to fail (`?gpucheck-fault=matmul`), or null. */
export function gpuCheckFault(): string | null {
  if (typeof location === 'undefined') return null;
  return new URLSearchParams(location.search).get('gpucheck-fault') || null;
}

/** The gate's verdict on a report: only the kernel family this adapter trains with counts. */
export function gateOf(report: GpuCheckReport): GpuGateState {
  const own = report.results.filter((r) => r.target === report.identity.target);
  const kernels = [...new Set(own.filter((r) => !r.ok).map((r) => r.kernel))];
  return kernels.length === 0 ? { status: 'passed', report } : { status: 'failed', report, kernels };
}

/** A finished check of this adapter (e.g. from the GPU check page) decides the gate from now on. */
export function adoptGpuCheck(report: GpuCheckReport): void {
  storeGpuCheck(report);
  set(gateOf(report));
  pending = Promise.resolve(state);
}

/** The gate's verdict, checking the adapter first if this adapter and build have no kept result. */
export function ensureGpuChecked(): Promise<GpuGateState> {
  pending ??= check().catch((error: unknown) => {
    pending = null; // the next launch tries again
    return set({ status: 'error', message: `The GPU check could not run: ${error instanceof Error ? error.message : String(error)}` });
  });
  return pending;
}

async function check(): Promise<GpuGateState> {
  const fault = gpuCheckFault();
  const identity = await identifyGpu();
  const stored = fault === null ? storedGpuCheck(identity.key) : null;
  if (stored) return set(gateOf(stored));
  set({ status: 'checking', done: 0, total: 0 });
  const report = await runGpuCheck({ mode: 'gate', bothTargets: false, benchmark: 'none', fault }, ({ done, total }) => {
    set({ status: 'checking', done, total });
  });
  storeGpuCheck(report);
  return set(gateOf(report));
}

/** Why training is blocked, naming the kernels, or null when it is not. */
export function gateBlockMessage(gate: GpuGateState): string | null {
  if (gate.status === 'failed') {
    const names = gate.kernels.join(', ');
    return `Training is blocked: this GPU computed wrong results in the GPU check for ${gate.kernels.length === 1 ? 'the kernel' : 'the kernels'} ${names}, so its MAD scores could not be trusted.`;
  }
  if (gate.status === 'error') return gate.message;
  return null;
}
