// The training gate: before the first run on an adapter and build not yet checked, the gate's
// subset of the GPU check (checkSuite.ts GATE_KERNELS: the first check of each kernel every model
// trains with, on the kernel family the adapter trains with; the CLI's gate runs the same) runs in
// the GPU check worker; a failing kernel blocks the Run buttons and resumed runs until the adapter
// passes. The GPU check page's quick and full checks cover every other kernel. A result kept for
// this adapter and build (gpuCheckStore.ts, written by the gate or the GPU check page) is used as
// it is. `?gpucheck-fault=KERNEL` (test-only, docs/troubleshooting) corrupts one kernel's result and
// ignores any kept result, so the failure path runs even where a pass was stored. Once the gate
// passes (training is allowed at once), the worker times the adapter's training speed
// (adapterSpeed.ts) and keeps it with the result: every ETA of the app reads it.

import type { AdapterSpeed, GpuCheckReport } from '../worker/gpuCheckApi.ts';
import { identifyGpu, measureGpuSpeed, runGpuCheck } from './gpuCheckClient.ts';
import { storedGpuCheck, storeGpuCheck } from './gpuCheckStore.ts';

export type GpuGateState =
  | { status: 'unchecked' }
  | { status: 'checking'; done: number; total: number }
  | { status: 'passed'; report: GpuCheckReport; measuringSpeed?: boolean }
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
  pending = Promise.resolve(settle(report, gpuCheckFault()));
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
  if (stored) return settle(stored, fault);
  set({ status: 'checking', done: 0, total: 0 });
  const report = await runGpuCheck({ mode: 'gate', bothTargets: false, benchmark: 'none', fault, measureSpeed: false }, ({ done, total }) => {
    set({ status: 'checking', done, total });
  });
  return settle(report, fault);
}

/** Keeps a report and decides the gate by it; a pass without a speed gets one timed after the verdict. */
function settle(report: GpuCheckReport, fault: string | null): GpuGateState {
  storeGpuCheck(report);
  const verdict = gateOf(report);
  if (verdict.status !== 'passed' || report.speed || fault !== null) return set(verdict);
  void measureSpeedAfter(report);
  return set({ ...verdict, measuringSpeed: true });
}

/** Times the speed of an adapter that passed, keeps it with its report, and shows it if that report still decides the gate. */
async function measureSpeedAfter(report: GpuCheckReport): Promise<void> {
  let measured: GpuCheckReport = report;
  try {
    measured = { ...report, speed: await measureGpuSpeed() };
    storeGpuCheck(measured);
  } catch {
    // No speed: the estimates say "not measured yet" and the next page load measures again.
  }
  if (state.status === 'passed' && state.report === report) set({ status: 'passed', report: measured });
}

/** This adapter's measured training speed once the gate has passed and timed it, else null. */
export function gateSpeed(gate: GpuGateState): AdapterSpeed | null {
  return gate.status === 'passed' ? (gate.report.speed ?? null) : null;
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
