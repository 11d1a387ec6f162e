// The kernel target travels with the graph: a training program traced for 'gpu' or 'cpu' records
// the same kernels whatever was traced before it (no hidden global choice), and the two targets
// record different kernel families (tiles and lanes on GPUs, barrier-free rows on CPU adapters)
// for matmul, attention, the norm, cross-entropy and the gradient norm. Tracing only: no GPU.

import { describe, expect, it } from 'vitest';
import { PLANNING_TARGET, type KernelTarget, type PlanningTarget } from '../config/kernelTarget.ts';
import type { Launch } from '../engine/launch.ts';
import type { ArchitectureSpec } from '../model/architecture.ts';
import { makeSetting } from '../tasks/settings.ts';
import { planRunMemory, WEBGPU_DEFAULT_LIMITS } from './runMemoryPlan.ts';
import { buildTrainingProgram, type ModelTraining } from './trainingProgram.ts';
import { DEFAULT_TRAINING } from './types.ts';

const ARCHITECTURE: ArchitectureSpec = {
  version: 1,
  dim: 16,
  layers: [{ type: 'mh-attention', config: { n_heads: 2, rotary_emb_dim: 8 } }, { type: 'swiglu' }],
  norm: 'rms',
};

function trace(target: KernelTarget, architecture: ArchitectureSpec = ARCHITECTURE): ModelTraining {
  return buildTrainingProgram({ architecture, target, vocabSize: 16, batchSize: 2, seqLen: 8, weightDecay: 0.1, seed: 1, planOnly: true });
}

/** What the pipeline cache keys a launch on (source, entry point, constants), with its phase and grid. */
function kernels(program: ModelTraining): string[] {
  return program.graph.launches.map((l: Launch) => {
    const constants = Object.keys(l.constants)
      .sort()
      .map((name) => `${name}=${l.constants[name]}`);
    return `${l.phase} ${l.entryPoint}(${constants.join(',')}) [${l.workgroups.join('×')}]\n${l.source}`;
  });
}

const labelled = (program: ModelTraining, pattern: RegExp): Launch[] => program.graph.launches.filter((l) => pattern.test(l.label));

describe('kernel targets', () => {
  it('a target records the same kernels whatever was traced before it (cpu, gpu, cpu, gpu in one process)', () => {
    const order: KernelTarget[] = ['cpu', 'gpu', 'cpu', 'gpu'];
    const traced = order.map((target) => kernels(trace(target)));
    expect(traced[2]).toEqual(traced[0]);
    expect(traced[3]).toEqual(traced[1]);
    expect(traced[0]).not.toEqual(traced[1]);
  });

  it("'gpu' records tiles and lanes, 'cpu' barrier-free rows, for every op that has both families", () => {
    const gpu = trace('gpu');
    const cpu = trace('cpu');
    const entryPoints = (program: ModelTraining) => new Set(program.graph.launches.map((l) => l.entryPoint));
    expect(entryPoints(gpu)).toContain('matmul_kernel4_tiled');
    expect(entryPoints(gpu)).not.toContain('matmul_kernel3_register_vec4');
    expect(entryPoints(cpu)).toContain('matmul_kernel3_register_vec4');
    expect(entryPoints(cpu)).not.toContain('matmul_kernel4_tiled');

    expect(labelled(gpu, /^flash attention forward tiled /)).toHaveLength(1);
    expect(labelled(cpu, /^flash attention forward rows /)).toHaveLength(1);
    expect(labelled(gpu, /^rmsnorm forward$/).length).toBeGreaterThan(0);
    expect(labelled(cpu, /^rmsnorm forward \(rows\)$/).length).toBeGreaterThan(0);

    const workgroup = (program: ModelTraining, label: RegExp) => labelled(program, label).map((l) => l.constants.WG);
    expect(workgroup(gpu, /^cross-entropy forward rows$/)).toEqual([32]); // V = 16: one warp per row
    expect(workgroup(cpu, /^cross-entropy forward rows$/)).toEqual([4]);
    expect(workgroup(gpu, /^grad norm partials$/)).toEqual([256]);
    expect(workgroup(cpu, /^grad norm partials$/)).toEqual([64]);
  });

  it('the planning target plans at least the memory of either target, whichever keeps more scratch', () => {
    const total = (target: KernelTarget, architecture: ArchitectureSpec) => Object.values(trace(target, architecture).graph.plannedBytes).reduce((a, b) => a + b, 0);
    const setting = makeSetting('in-context-recall', { vocabSize: 16, seqLen: 8, numTrainExamples: 8, numTestExamples: 2 });
    const planned = (target: PlanningTarget, architecture: ArchitectureSpec) => {
      const training = { ...DEFAULT_TRAINING, batchSize: 2, weightDecay: 0.1, seed: 1 };
      const outcome = planRunMemory({ architecture, setting, training }, WEBGPU_DEFAULT_LIMITS, { target });
      if (!outcome.ok) throw new Error(outcome.problems.map((p) => p.message).join(' '));
      return outcome.memory.parameterBytes + outcome.memory.optimizerBytes + outcome.memory.activationBytes;
    };
    // Attention's norms keep more scratch on 'gpu'; the delta rule's row history more on 'cpu'.
    const deltaNet: ArchitectureSpec = { version: 1, dim: 16, layers: [{ type: 'delta-net', config: { num_heads: 1, head_dim: 16 } }, { type: 'swiglu' }], norm: 'rms' };
    expect(total('gpu', ARCHITECTURE)).toBeGreaterThan(total('cpu', ARCHITECTURE));
    expect(total('cpu', deltaNet)).toBeGreaterThan(total('gpu', deltaNet));
    for (const architecture of [ARCHITECTURE, deltaNet]) {
      expect(trace('gpu', architecture).graph.plannedBytes.param).toBe(trace('cpu', architecture).graph.plannedBytes.param);
      expect(planned(PLANNING_TARGET, architecture)).toBe(Math.max(planned('gpu', architecture), planned('cpu', architecture)));
    }
  });
});
