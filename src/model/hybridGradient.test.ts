// Whole hybrid models with real sequence mixers (d = 16, V = 5, L = 8, B = 2): the GPU backward
// of the whole program against finite differences of the GPU's own f32 loss, directional
// derivatives per parameter tensor (along the reported gradient and along a random direction).
// The layers' own tests check each layer against an f64 reference; this checks that they compose
// inside the backbones (parameter naming, residual and norm wiring, the AutoEncoder's pooling).
// Directions, steps and tolerances: src/model/testing/gradientCheck.ts. More architectures:
// architectureGradients*.test.ts.

import { describe, expect, it } from 'vitest';
import { ARCHITECTURE_VERSION } from './architecture.ts';
import { caseName, checkModelGradients, type GradientCheckCase } from './testing/gradientCheck.ts';

const D = 16;
const SIZES = { vocabSize: 5, length: 8, batch: 2 } as const;

const MODELS: GradientCheckCase[] = [
  {
    ...SIZES,
    task: 'memorization',
    // Top-k routing (moe-mlp) is piecewise smooth: a step may cross a kink.
    kinks: true,
    spec: {
      version: ARCHITECTURE_VERSION,
      dim: D,
      layers: [{ type: 'mh-hyena' }, { type: 'swiglu' }, { type: 'mh-attention', config: { n_heads: 2, rotary_emb_dim: 8 } }, { type: 'moe-mlp' }],
      init: 'current',
    },
  },
  {
    ...SIZES,
    task: 'compression',
    weightScale: 10,
    spec: { version: ARCHITECTURE_VERSION, dim: D, layers: [{ type: 'mamba' }, { type: 'mh-gated-linear-attention' }] },
  },
];

describe('whole hybrid models: GPU gradients against f32 finite differences of the GPU loss', () => {
  for (const model of MODELS) {
    it(`${caseName(model)}: every parameter tensor's gradient matches directional finite differences`, async () => {
      const { failures, judged, tensors } = await checkModelGradients(model);
      expect(failures).toEqual([]);
      expect(judged).toBeGreaterThan(tensors.length / 2);
    }, 120_000);
  }
});
