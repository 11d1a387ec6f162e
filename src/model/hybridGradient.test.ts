// Whole hybrid models with real sequence mixers (d = 16, V = 5, L = 8, B = 2): the GPU backward
// of the whole program against finite differences of the GPU's own f32 loss, one directional
// derivative per parameter tensor. Along u = ∇_t/|∇_t| (the reported gradient of tensor t,
// normalised) the loss must change at rate |∇_t|; a wrong gradient (wrong scale, sign, pattern
// or a missing path through a mixer, the residual or the pooling) changes at ∇_true·u ≠ |∇_t|.
// The layers' own tests check each layer against an f64 reference; this checks that they compose
// inside the backbones (parameter naming, residual and norm wiring, the AutoEncoder's pooling).
//
// Tolerance: the f32 loss carries rounding noise of ~1e-7 (a mean over 16 rows of log-sum-exps
// of f32 logits), so a central difference with step h along a unit direction has noise
// ~1e-7/h. The step is h = min(1e-2, 1e-3/|∇_t|): the loss moves by ≤ 1e-3, keeping the
// truncation error h²/6·|∂³L/∂u³| far below 1% even for the steepest tensors. The check allows
// 2% of |∇_t| + 1e-6/h (ten times the noise); measured differences are ~10–100× below it
// (printed). Tensors with |∇_t| < 1e-4 are reported and not judged (the noise would dominate).

import { describe, expect, it } from 'vitest';
import { compileGraph } from '../engine/compile.ts';
import { Graph } from '../engine/graph.ts';
import { crossEntropy } from '../engine/ops/crossEntropy/crossEntropy.ts';
import { testGpu } from '../engine/testing/gpu.ts';
import { randomInts } from '../engine/testing/random.ts';
import { LAYERS } from '../layers/registry.ts';
import { ARCHITECTURE_VERSION, modelId, type ArchitectureSpec } from './architecture.ts';
import { buildModel } from './build.ts';
import { ParamFactory } from './params.ts';

const D = 16;
const V = 5;
const L = 8;
const B = 2;
const H = 1e-2;
const MIN_NORM = 1e-4;

/**
 * weightScale multiplies every matrix (rank-2 parameter) before the check: the AutoEncoder's fixed
 * N(0, 0.02) init leaves the layers' gradients too flat for f32 differences; ×10 gives std 0.2,
 * about PyTorch's U(±1/√16) at this width. Gradients are checked wherever the parameters are.
 */
const MODELS: { spec: ArchitectureSpec; task: 'memorization' | 'compression'; weightScale: number }[] = [
  {
    task: 'memorization',
    weightScale: 1,
    spec: {
      version: ARCHITECTURE_VERSION,
      dim: D,
      layers: [{ type: 'mh-hyena' }, { type: 'swiglu' }, { type: 'mh-attention', config: { n_heads: 2, rotary_emb_dim: 8 } }, { type: 'moe-mlp' }],
      init: 'current',
    },
  },
  {
    task: 'compression',
    weightScale: 10,
    spec: { version: ARCHITECTURE_VERSION, dim: D, layers: [{ type: 'mamba' }, { type: 'mh-gated-linear-attention' }] },
  },
];

describe('whole hybrid models: GPU gradients against f32 finite differences of the GPU loss', () => {
  for (const { spec, task, weightScale } of MODELS) {
    const missing = spec.layers.map((l) => l.type).filter((t) => !LAYERS.some((l) => l.name === t));
    const name = `${missing.length === 0 ? modelId(spec) : spec.layers.map((l) => l.type).join('-')} (${task})`;
    it(`${name}: every parameter tensor's gradient matches a directional finite difference`, async () => {
      if (missing.length > 0) {
        console.log(`${name}: not exercised, waiting for layers ${missing.join(', ')}`);
        return;
      }
      const g = new Graph();
      const params = new ParamFactory(g, 21, spec.init);
      const ids = randomInts(B * L, V, 5);
      const targets = task === 'compression' ? ids : randomInts(B * L, V, 6);
      const idsT = g.input([B, L], 'i32', 'ids', ids);
      const targetsT = g.input([B, L], 'i32', 'targets', targets);
      const { logits } = buildModel(g, params, idsT, spec, { vocabSize: V, maxLength: L, task });
      const loss = crossEntropy(g, logits, targetsT);
      g.backward(loss);
      const compiled = await compileGraph(g, await testGpu());
      const start = new Map(
        g.params.map((p) => [p, (g.initialData.get(p) as Float32Array).map((v) => (p.rank === 2 ? v * weightScale : v))]),
      );
      for (const [p, values] of start) compiled.write(p, values);
      compiled.run(['forward', 'backward']);
      const grads = await Promise.all(g.params.map(async (p) => (await compiled.read(g.gradOf(p))) as Float32Array));
      const lossAt = async (): Promise<number> => {
        compiled.run(['forward']);
        return (await compiled.read(loss))[0]!;
      };

      const failures: string[] = [];
      let judged = 0;
      for (const [k, p] of g.params.entries()) {
        const grad = grads[k]!;
        const norm = Math.sqrt(grad.reduce((s, v) => s + v * v, 0));
        if (!(norm >= MIN_NORM)) {
          console.log(`  ${p.label}: |∇| ${norm.toExponential(2)} too flat to judge in f32`);
          if (!Number.isFinite(norm)) failures.push(`${p.label}: gradient is not finite`);
          continue;
        }
        const base = start.get(p)!;
        const fd = async (h: number): Promise<number> => {
          compiled.write(p, base.map((v, i) => v + (h * grad[i]!) / norm));
          const plus = await lossAt();
          compiled.write(p, base.map((v, i) => v - (h * grad[i]!) / norm));
          const minus = await lossAt();
          compiled.write(p, base);
          return (plus - minus) / (2 * h);
        };
        const h = Math.min(H, 1e-3 / norm);
        const tolerance = 0.02 * norm + 1e-6 / h;
        const numeric = await fd(h);
        let diff = Math.abs(numeric - norm);
        let note = '';
        if (diff > tolerance) {
          // Top-k routing (moe-mlp) is piecewise smooth: a step may cross a kink, so a miss is
          // retried once at a quarter of the step and the closer estimate is judged.
          const retry = await fd(h / 4);
          note = `, ${retry.toExponential(3)} at h/4`;
          diff = Math.min(diff, Math.abs(retry - norm));
        }
        judged++;
        console.log(`  ${p.label} [${p.shape.join('×')}]: |∇| ${norm.toExponential(3)}, finite difference ${numeric.toExponential(3)} (h ${h.toExponential(1)}${note}), |diff| ${diff.toExponential(2)} (tolerance ${tolerance.toExponential(1)})`);
        if (diff > tolerance) failures.push(`${p.label}: |∇| ${norm} but the loss changes at ${numeric}`);
      }
      compiled.destroy();
      expect(failures).toEqual([]);
      expect(judged).toBeGreaterThan(g.params.length / 2);
    }, 120_000);
  }
});
