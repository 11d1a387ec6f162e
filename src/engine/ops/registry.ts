// Every op of the engine, with the shaders of its forward and backward passes and its
// GPU-versus-reference checks. Typed as a record so an entry without a backward does not
// compile; registry.test.ts checks the shaders exist and compile and that every op's checks
// compare a backward result. selftest runs every check listed here.

import type { KernelCheck } from './kernelCheck.ts';
import { unaryChecks } from './unary/checks.ts';

export interface OpEntry {
  /** Shader files under shaders/ that the forward pass launches. */
  forward: readonly string[];
  /** Shader files under shaders/ that the backward pass launches. */
  backward: readonly string[];
  checks: readonly KernelCheck[];
}

export const OPS = {
  unary: {
    forward: ['elementwise/unary_forward.wgsl'],
    backward: ['elementwise/unary_backward.wgsl'],
    checks: unaryChecks,
  },
} as const satisfies Record<string, OpEntry>;

export type OpName = keyof typeof OPS;
