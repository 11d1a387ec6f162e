// AdamW over the one flat parameter pool in one dispatch (phase 'update'), as torch.optim.AdamW
// with betas (0.9, 0.999), eps 1e-8 and decoupled weight decay on every parameter (docs/protocol.md §6).
// The moments m and v are f32 buffers mirroring the param pool offset for offset. The learning
// rate and step come from the per-step uniform (stepUniform.ts):
//
//   const opt = adamw(g, { weightDecay: 0.1 });          // after g.backward(loss)
//   const compiled = await compileGraph(g, gpu);
//   for (let t = 1; …; t++) { compiled.writeStepUniform(opt.stepUniform(lrAt(t), t)); compiled.run(); }

import { bind, type Graph } from '../../graph.ts';
import { grid1d } from '../../launch.ts';
import { shaderSource } from '../../shaderSource.ts';
import type { Tensor } from '../../tensor.ts';
import { packUniform } from '../../uniform.ts';
import { packStepUniform, stepUniformValues, type AdamWHyper } from './stepUniform.ts';

export const ADAMW_SHADERS = ['optim/adamw.wgsl'] as const;

const WORKGROUP = 256;

export interface AdamWConfig {
  weightDecay: number;
  /** PyTorch defaults: 0.9, 0.999, 1e-8 (the paper's table says β2 = 0.98; the code uses 0.999). */
  beta1?: number;
  beta2?: number;
  eps?: number;
}

export interface AdamW {
  readonly config: Required<AdamWConfig>;
  /** First and second moments, [P] f32 mirroring the param pool (zero at compile: WebGPU zero-fills). */
  readonly m: Tensor;
  readonly v: Tensor;
  /** The per-step uniform for step t (1-based) at learning rate lr: pass to writeStepUniform. */
  stepUniform(lr: number, step: number): ArrayBuffer;
}

export function adamw(g: Graph, config: AdamWConfig): AdamW {
  const full: Required<AdamWConfig> = { beta1: 0.9, beta2: 0.999, eps: 1e-8, ...config };
  const param = g.poolView('param');
  const grad = g.poolView('paramGrad');
  const n = param.size;
  if (n % 4 !== 0) throw new Error(`adamw: param pool of ${n} floats is not a multiple of 4`);
  const m = g.optimizerState([n], 'adamw.m');
  const v = g.optimizerState([n], 'adamw.v');
  const params = packUniform([
    ['u32', n / 4],
    ['f32', 1 - full.beta1],
    ['f32', full.beta2],
    ['f32', 1 - full.beta2],
    ['f32', full.eps],
  ]);
  g.inPhase('update', () =>
    g.launch({
      label: 'adamw',
      source: shaderSource(ADAMW_SHADERS[0]),
      entryPoint: 'main',
      constants: { WG: WORKGROUP },
      bindings: [bind(param), bind(grad), bind(m), bind(v), { kind: 'uniform', data: params }, { kind: 'stepUniform' }],
      workgroups: grid1d(n / 4 / WORKGROUP),
    }),
  );
  const hyper: AdamWHyper = { beta1: full.beta1, beta2: full.beta2, weightDecay: full.weightDecay };
  return {
    config: full,
    m,
    v,
    stepUniform: (lr, step) => packStepUniform(stepUniformValues(lr, step, hyper)),
  };
}
