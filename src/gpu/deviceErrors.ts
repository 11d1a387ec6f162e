// Runtime failures of a device, in readable form. watchDevice reports device loss and uncaptured
// errors (which WebGPU otherwise only prints to the console, far from their cause) as typed errors
// to one callback. withErrorScope brackets a piece of work in validation, out-of-memory and
// internal error scopes for debug checks, and throws the first error it caught, naming the work.

import { GpuCommandError, GpuUnavailableError, type GpuErrorType } from './errors.ts';

export type DeviceProblem = GpuUnavailableError | GpuCommandError;

/**
 * Calls `onProblem` for each uncaptured error and once when the device is lost (a loss through
 * device.destroy() is reported too, as "destroyed", so owners can tell it from a driver reset).
 * Returns a function that stops watching.
 */
export function watchDevice(device: GPUDevice, onProblem: (problem: DeviceProblem) => void): () => void {
  let watching = true;
  const onError = (event: GPUUncapturedErrorEvent): void => {
    onProblem(new GpuCommandError(errorType(event.error), `device "${device.label}"`, event.error.message));
  };
  device.addEventListener('uncapturederror', onError);
  void device.lost.then((info) => {
    if (!watching) return;
    const advice =
      info.reason === 'destroyed'
        ? 'it was destroyed on purpose, so acquire a new device to continue'
        : 'the GPU ran out of memory or its driver reset, so reload the page or restart the run with a smaller model';
    const details = info.message.trim() || 'no details';
    const message = `The GPU device "${device.label}" was lost (${info.reason}: ${details}): ${advice}.`;
    onProblem(new GpuUnavailableError('device-lost', message));
  });
  return () => {
    watching = false;
    device.removeEventListener('uncapturederror', onError);
  };
}

const SCOPES: readonly GPUErrorFilter[] = ['validation', 'out-of-memory', 'internal'];

/**
 * Runs `work` inside error scopes and throws a GpuCommandError naming `label` if any caught one.
 * Scopes are a per-device stack: while an async `work` awaits, other code must not push or pop.
 */
export async function withErrorScope<T>(device: GPUDevice, label: string, work: () => T | Promise<T>): Promise<T> {
  for (const filter of SCOPES) device.pushErrorScope(filter);
  let outcome: { ok: true; value: T } | { ok: false; error: unknown };
  try {
    outcome = { ok: true, value: await work() };
  } catch (error) {
    outcome = { ok: false, error };
  }
  // The scopes must be popped even when `work` threw; each pop takes the innermost one.
  const errors = await Promise.all(SCOPES.map(() => device.popErrorScope()));
  const caught = errors.find((error) => error !== null);
  // A GPU error usually explains a JS failure of the same work, so it takes precedence.
  if (caught) {
    const cause = outcome.ok ? undefined : outcome.error;
    throw new GpuCommandError(errorType(caught), label, caught.message, { cause });
  }
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

function errorType(error: GPUError): GpuErrorType {
  if (error instanceof GPUOutOfMemoryError) return 'out-of-memory';
  if (error instanceof GPUInternalError) return 'internal';
  return 'validation';
}
