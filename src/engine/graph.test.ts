// Graph.inPhase: launches recorded inside the block go into its phase, and the phase the graph had
// before comes back after the block, also when the block throws.

import { describe, expect, it } from 'vitest';
import { bind, Graph } from './graph.ts';

function recordLaunch(g: Graph, label: string): void {
  const t = g.tensor([4], 'f32', label);
  g.launch({ label, source: '', entryPoint: 'main', constants: {}, bindings: [bind(t)], workgroups: [1, 1, 1] });
}

describe('Graph.inPhase', () => {
  it('records the block into its phase and restores the previous one, nested too', () => {
    const g = new Graph('gpu');
    recordLaunch(g, 'before');
    const result = g.inPhase('update', () => {
      recordLaunch(g, 'update');
      g.inPhase('batchEnd', () => recordLaunch(g, 'nested'));
      recordLaunch(g, 'update again');
      return 7;
    });
    recordLaunch(g, 'after');
    expect(result).toBe(7);
    expect(g.launches.map((l) => `${l.label}:${l.phase}`)).toEqual(['before:forward', 'update:update', 'nested:batchEnd', 'update again:update', 'after:forward']);
  });

  it('restores the phase when the block throws', () => {
    const g = new Graph('gpu');
    expect(() =>
      g.inPhase('batchStart', () => {
        throw new Error('shape mismatch');
      }),
    ).toThrow('shape mismatch');
    expect(g.phase).toBe('forward');
  });
});
