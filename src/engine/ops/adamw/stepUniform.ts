// The per-step uniform: the one place its layout is defined. WGSL mirror:
// shaders/optim/step_uniform.wgsl (struct StepUniform; stepUniform.test compares them).
// Written once per step with CompiledGraph.writeStepUniform(packStepUniform(...)).

import { packUniform, type ScalarType } from '../../uniform.ts';

/** Fields in declaration order; each is 4 bytes at offset 4·index. */
export const STEP_UNIFORM_FIELDS = [
  ['lr', 'f32'],
  ['step', 'u32'],
  ['stepSize', 'f32'],
  ['biasCorrection2Sqrt', 'f32'],
  ['decay', 'f32'],
] as const satisfies readonly (readonly [string, ScalarType])[];

export type StepUniformValues = { [F in (typeof STEP_UNIFORM_FIELDS)[number] as F[0]]: number };

/** Size of the packed struct (WGSL rounds a uniform struct of scalars up to 16 bytes). */
export const STEP_UNIFORM_BYTES = 32;

export interface AdamWHyper {
  beta1: number;
  beta2: number;
  weightDecay: number;
}

/**
 * The values for optimizer step t (1-based) at learning rate lr, derived in f64 as PyTorch's
 * AdamW derives them in Python floats: step_size = lr / (1 − β1^t), √(1 − β2^t), 1 − lr·wd.
 */
export function stepUniformValues(lr: number, step: number, hyper: AdamWHyper): StepUniformValues {
  if (!Number.isInteger(step) || step < 1) throw new Error(`optimizer step must be an integer ≥ 1, got ${step}`);
  if (!(lr >= 0)) throw new Error(`learning rate must be ≥ 0, got ${lr}`);
  return {
    lr,
    step,
    stepSize: lr / (1 - hyper.beta1 ** step),
    biasCorrection2Sqrt: Math.sqrt(1 - hyper.beta2 ** step),
    decay: 1 - lr * hyper.weightDecay,
  };
}

export function packStepUniform(values: StepUniformValues): ArrayBuffer {
  return packUniform(STEP_UNIFORM_FIELDS.map(([name, type]) => [type, values[name]] as const));
}
