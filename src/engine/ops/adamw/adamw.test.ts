import { describe, expect, it } from 'vitest';
import { Graph } from '../../graph.ts';
import { shaderSource } from '../../shaderSource.ts';
import { itPassesKernelChecks } from '../../testing/expectChecks.ts';
import { testGpu } from '../../testing/gpu.ts';
import { unary } from '../unary/unary.ts';
import { ADAMW_SHADERS, adamw } from './adamw.ts';
import { ADAMW_CASES, adamwChecks, runAdamW } from './checks.ts';
import { adamwInit, adamwReferenceStep } from './reference.ts';
import { STEP_UNIFORM_BYTES, STEP_UNIFORM_FIELDS, packStepUniform, stepUniformValues } from './stepUniform.ts';

const camelToSnake = (s: string): string => s.replace(/[A-Z0-9]/g, (c) => `_${c.toLowerCase()}`).replace(/_(\d)/g, '$1');

describe('adamw', () => {
  it('step uniform: layout, packing and the WGSL struct agree', async () => {
    const values = { lr: 0.25, step: 7, stepSize: 0.5, biasCorrection2Sqrt: 0.125, decay: 0.75 };
    const buffer = packStepUniform(values);
    expect(buffer.byteLength).toBe(STEP_UNIFORM_BYTES);
    const view = new DataView(buffer);
    expect(view.getFloat32(0, true)).toBe(0.25);
    expect(view.getUint32(4, true)).toBe(7);
    expect(view.getFloat32(8, true)).toBe(0.5);
    expect(view.getFloat32(12, true)).toBe(0.125);
    expect(view.getFloat32(16, true)).toBe(0.75);
    const struct = /struct StepUniform \{([^}]*)\}/.exec(shaderSource('optim/step_uniform.wgsl'))![1]!;
    const members = [...struct.matchAll(/^\s*(\w+)\s*:\s*(\w+)\s*,/gm)].map((m) => [m[1], m[2]]);
    expect(members).toEqual(STEP_UNIFORM_FIELDS.map(([name, type]) => [camelToSnake(name), type]));
  });

  it('step uniform values are PyTorch’s bias corrections', () => {
    const v = stepUniformValues(1e-3, 3, { beta1: 0.9, beta2: 0.999, weightDecay: 0.1 });
    expect(v.stepSize).toBeCloseTo(1e-3 / (1 - 0.9 ** 3), 15);
    expect(v.biasCorrection2Sqrt).toBeCloseTo(Math.sqrt(1 - 0.999 ** 3), 15);
    expect(v.decay).toBeCloseTo(1 - 1e-4, 15);
    expect(() => stepUniformValues(1e-3, 0, { beta1: 0.9, beta2: 0.999, weightDecay: 0 })).toThrow(/step/);
  });

  it('reference: first step moves each weight by lr·sign(g) (bias-corrected), after decay', () => {
    // At t = 1, m̂ = g and v̂ = g², so the Adam step is lr · g / (|g| + eps).
    const s = adamwInit([1, -2, 0.5]);
    adamwReferenceStep(s, [3, -0.5, 0], 1, { lr: 0.1, weightDecay: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 });
    const decayed = [1 * 0.999, -2 * 0.999, 0.5 * 0.999];
    expect(s.param[0]).toBeCloseTo(decayed[0]! - 0.1 * (3 / (3 + 1e-8)), 12);
    expect(s.param[1]).toBeCloseTo(decayed[1]! + 0.1 * (0.5 / (0.5 + 1e-8)), 12);
    expect(s.param[2]).toBeCloseTo(decayed[2]!, 12);
    expect(s.m[0]).toBeCloseTo(0.3, 12);
    expect(s.v[0]).toBeCloseTo(0.009, 12);
  });

  it('shader compiles', async () => {
    const { device } = await testGpu();
    const info = await device.createShaderModule({ code: shaderSource(ADAMW_SHADERS[0]) }).getCompilationInfo();
    expect(info.messages.filter((m) => m.type === 'error').map((m) => m.message)).toEqual([]);
  });

  it('one dispatch in phase update; pool padding stays zero', async () => {
    const g = new Graph('cpu');
    const p = g.param([5], new Float32Array(5), 'p');
    g.backward(unary(g, 'scale', p, 2), g.input([5], 'f32', 'seed', new Float32Array(5)));
    const before = g.launches.length;
    adamw(g, { weightDecay: 0.1 });
    expect(g.launches.length - before).toBe(1);
    expect(g.launches.at(-1)!.phase).toBe('update');
    expect(g.phase).toBe('forward');

    const run = await runAdamW(ADAMW_CASES[0]!, 5);
    // Parameters 15, 130, 7 sit at float offsets 0, 64, 256 of a 320-float pool.
    const padding = [...run.pool.subarray(15, 64), ...run.pool.subarray(194, 256), ...run.pool.subarray(263)];
    expect(padding.length).toBe(320 - 152);
    expect(padding.every((x) => x === 0)).toBe(true);
  });

  itPassesKernelChecks(adamwChecks);
});
