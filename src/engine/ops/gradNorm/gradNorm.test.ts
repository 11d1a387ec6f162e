import { describe, expect, it } from 'vitest';
import { Graph } from '../../graph.ts';
import { shaderSource } from '../../shaderSource.ts';
import { itPassesKernelChecks } from '../../testing/expectChecks.ts';
import { testGpu } from '../../testing/gpu.ts';
import { unary } from '../unary/unary.ts';
import { GRAD_NORM_CASES, gradNormChecks, runGradNorm } from './checks.ts';
import { GRAD_NORM_SHADERS, gradNorm } from './gradNorm.ts';
import { gradNormReference } from './reference.ts';

describe('gradNorm', () => {
  it('reference: √(Σ g²) over every gradient', () => {
    expect(gradNormReference([[3], [0, 4]])).toBe(5);
    expect(gradNormReference([])).toBe(0);
  });

  it('shaders compile', async () => {
    const { device } = await testGpu();
    for (const path of GRAD_NORM_SHADERS) {
      const info = await device.createShaderModule({ code: shaderSource(path) }).getCompilationInfo();
      expect(info.messages.filter((m) => m.type === 'error').map((m) => m.message)).toEqual([]);
    }
  });

  it('is deterministic: the same gradients give the same bits', async () => {
    const c = GRAD_NORM_CASES[1]!;
    const a = await runGradNorm(c, 7);
    const b = await runGradNorm(c, 7);
    expect(b.norm).toBe(a.norm);
  });

  it('records into phase update and freezes the parameter pool it sweeps', async () => {
    const g = new Graph('cpu');
    const p = g.param([4], new Float32Array(4), 'p');
    const y = unary(g, 'scale', p, 3);
    g.backward(y, g.input([4], 'f32', 'seed', new Float32Array(4)));
    gradNorm(g);
    expect(g.launches.slice(-2).map((l) => l.phase)).toEqual(['update', 'update']);
    expect(g.phase).toBe('forward');
    expect(() => g.param([4], new Float32Array(4), 'late')).toThrow(/whole-pool view/);
  });

  itPassesKernelChecks(gradNormChecks);
});
