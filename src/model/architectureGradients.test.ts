// Whole-model gradient checks, part 1 of 2 (attention and Hyena stacks): mA-Sg-mA-Sg, H-Sg-H-Sg
// and mH-Sg-mA-Sg as LanguageModels at tiny width (d = 16, V = 5, T = 8, B = 2). For every
// parameter tensor the GPU's whole-program backward is compared with central finite differences
// of the GPU's own f32 loss along the reported gradient and along a random direction; steps,
// tolerances (2% of the slope plus f32 noise; every layer here is smooth, so no kink retry) and
// their justification: src/model/testing/gradientCheck.ts. Part 2 (recurrent stacks and the
// AutoEncoder): architectureGradients.recurrent.test.ts.
//
// Tiny-width overrides: mh-attention's 16 heads of 8 at d = 128 become 2 heads of 8 (rotary over
// the whole head, as in MAD); hyena and mh-hyena keep their MAD configs (hyena: inner width 4·d,
// 4 projection groups, filter order 4; mh-hyena: 16 heads, inner factor 1), which are valid at 16.
// Init 'current' (PyTorch's own inits): under 'paper' (every Linear N(0, 0.02)) the Hyena implicit
// filters' gradients are 1e-7–1e-9, below what an f32 difference can resolve, so half of their
// tensors would go unjudged. The gradient is checked wherever the parameters are.

import { describe, expect, it } from 'vitest';
import { ARCHITECTURE_VERSION, type ArchitectureLayer } from './architecture.ts';
import { caseName, checkModelGradients, type GradientCheckCase } from './testing/gradientCheck.ts';

const D = 16;
const SIZES = { vocabSize: 5, length: 8, batch: 2, task: 'memorization' } as const;
const mA: ArchitectureLayer = { type: 'mh-attention', config: { n_heads: 2, rotary_emb_dim: 8 } };
const Sg: ArchitectureLayer = { type: 'swiglu' };
const H: ArchitectureLayer = { type: 'hyena' };
const mH: ArchitectureLayer = { type: 'mh-hyena' };

const MODELS: GradientCheckCase[] = [
  { ...SIZES, spec: { version: ARCHITECTURE_VERSION, dim: D, layers: [mA, Sg, mA, Sg], init: 'current' } },
  { ...SIZES, spec: { version: ARCHITECTURE_VERSION, dim: D, layers: [H, Sg, H, Sg], init: 'current' } },
  { ...SIZES, spec: { version: ARCHITECTURE_VERSION, dim: D, layers: [mH, Sg, mA, Sg], init: 'current' } },
];

describe('whole-model gradients (attention, Hyena): GPU backward against f32 finite differences', () => {
  for (const model of MODELS) {
    it(`${caseName(model)}: every parameter tensor's gradient matches directional finite differences`, async () => {
      const { failures, judged, tensors } = await checkModelGradients(model);
      expect(failures).toEqual([]);
      expect(judged).toBeGreaterThan(tensors.length / 2);
    }, 120_000);
  }
});
