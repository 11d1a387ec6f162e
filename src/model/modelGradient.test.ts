// Whole-model gradient check at tiny width (d = 8, V = 5, L = 6, B = 2, two mlp layers): the
// GPU's loss and the gradient of every parameter, from the real backward of the whole program
// (embedding, norms, residuals, mlp, head or AutoEncoder decoder, cross-entropy), against a CPU
// f64 reference of the whole model written here with plain loops: its loss, and central finite
// differences of that f64 loss for every parameter element.
//
// Tolerance: the f64 finite differences (h = 1e-5) are exact to ~1e-10, so the differences
// measure the GPU's f32 arithmetic. Each gradient element is a chain of a dozen f32 ops with
// sums over ≤ 32 terms: relative rounding ~1e-6 of the magnitudes involved. The check allows
// 2e-4 · max|∇ of that tensor| + 1e-3 · |∇| per element — measured differences are ~100× lower
// (printed), so a wrong term (a missing residual path, a norm gradient off by a factor, a
// mis-indexed pooled position) fails it by orders of magnitude.

import { describe, expect, it } from 'vitest';
import { compileGraph } from '../engine/compile.ts';
import { Graph } from '../engine/graph.ts';
import { crossEntropy } from '../engine/ops/crossEntropy/crossEntropy.ts';
import { unaryReference } from '../engine/ops/unary/reference.ts';
import { testGpu } from '../engine/testing/gpu.ts';
import { randomInts } from '../engine/testing/random.ts';
import { ARCHITECTURE_VERSION, type ArchitectureSpec } from './architecture.ts';
import { sinusoidalTable } from './autoEncoder.ts';
import { buildModel } from './build.ts';
import { ParamFactory } from '../engine/params.ts';

const D = 8;
const V = 5;
const L = 6;
const B = 2;
const INNER = 12; // mlp dim_inner: not a power of two
const EPS = 1e-5;

type Params = Map<string, Float64Array>;

const P = (params: Params, label: string): Float64Array => {
  const p = params.get(label);
  if (!p) throw new Error(`reference: no parameter ${label}`);
  return p;
};

/** rows × D → rows × D. */
function normRef(x: Float64Array, rows: number, params: Params, name: string, kind: 'rms' | 'layer'): Float64Array {
  const w = P(params, `${name}.weight`);
  const y = new Float64Array(x.length);
  for (let r = 0; r < rows; r++) {
    let mean = 0;
    if (kind === 'layer') {
      for (let c = 0; c < D; c++) mean += x[r * D + c]!;
      mean /= D;
    }
    let sq = 0;
    for (let c = 0; c < D; c++) sq += (x[r * D + c]! - mean) ** 2;
    const inv = 1 / Math.sqrt(sq / D + EPS);
    const bias = kind === 'layer' ? P(params, `${name}.bias`) : null;
    for (let c = 0; c < D; c++) y[r * D + c] = (x[r * D + c]! - mean) * inv * w[c]! + (bias ? bias[c]! : 0);
  }
  return y;
}

/** rows × in → rows × out, y = x Wᵀ + b, then an activation. */
function linearRef(x: Float64Array, rows: number, w: Float64Array, out: number, b: Float64Array | null, act?: 'gelu-tanh' | 'gelu-erf'): Float64Array {
  const inDim = w.length / out;
  const y = new Float64Array(rows * out);
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < out; o++) {
      let s = b ? b[o]! : 0;
      for (let i = 0; i < inDim; i++) s += x[r * inDim + i]! * w[o * inDim + i]!;
      y[r * out + o] = act ? unaryReference(act, s, 1) : s;
    }
  }
  return y;
}

/** Mean cross-entropy over all B·L positions. */
function lossRef(logits: Float64Array, targets: Int32Array): number {
  let total = 0;
  for (let r = 0; r < targets.length; r++) {
    let max = -Infinity;
    for (let v = 0; v < V; v++) max = Math.max(max, logits[r * V + v]!);
    let s = 0;
    for (let v = 0; v < V; v++) s += Math.exp(logits[r * V + v]! - max);
    total += max + Math.log(s) - logits[r * V + targets[r]!]!;
  }
  return total / targets.length;
}

/** The whole model in f64: embedding, pre-norm residual mlp layers, then the LM head or the AE decoder. */
function modelLossRef(params: Params, ids: Int32Array, targets: Int32Array, layers: number, backbone: 'lm' | 'ae', kind: 'rms' | 'layer'): number {
  const rows = B * L;
  const emb = P(params, 'embedding.weight');
  let x: Float64Array = new Float64Array(rows * D);
  for (let r = 0; r < rows; r++) for (let c = 0; c < D; c++) x[r * D + c] = emb[ids[r]! * D + c]!;
  for (let i = 0; i < layers; i++) {
    const n = normRef(x, rows, params, `layers.${i}.norm`, kind);
    const h = linearRef(n, rows, P(params, `layers.${i}.mlp.fc1.weight`), INNER, null, 'gelu-tanh');
    const y = linearRef(h, rows, P(params, `layers.${i}.mlp.fc2.weight`), D, null);
    x = x.map((v, j) => v + y[j]!);
  }
  let logits: Float64Array;
  if (backbone === 'lm') {
    logits = linearRef(normRef(x, rows, params, 'final_norm', kind), rows, P(params, 'head.weight'), V, P(params, 'head.bias'));
  } else {
    const pe = sinusoidalTable(L, D); // f32 values, as the GPU sees them
    let h: Float64Array = new Float64Array(rows * D);
    for (let b = 0; b < B; b++) {
      for (let p = 0; p < L; p++) for (let c = 0; c < D; c++) h[(b * L + p) * D + c] = x[(b * L + L - 1) * D + c]! + pe[p * D + c]!;
    }
    for (let i = 0; i < 3; i++) {
      const n = normRef(h, rows, params, `decoder.${i}.norm`, kind);
      h = linearRef(n, rows, P(params, `decoder.${i}.linear.weight`), i < 2 ? D : V, P(params, `decoder.${i}.linear.bias`), i < 2 ? 'gelu-erf' : undefined);
    }
    logits = h;
  }
  return lossRef(logits, targets);
}

interface Case {
  name: string;
  backbone: 'lm' | 'ae';
  norm: 'rms' | 'layer';
  init: 'paper' | 'current';
}

const CASES: Case[] = [
  { name: 'LanguageModel, RMSNorm, current init', backbone: 'lm', norm: 'rms', init: 'current' },
  { name: 'LanguageModel, LayerNorm, paper init', backbone: 'lm', norm: 'layer', init: 'paper' },
  { name: 'AutoEncoder, RMSNorm (fixed init)', backbone: 'ae', norm: 'rms', init: 'current' },
];

describe('whole-model gradients (d=8, V=5, L=6, B=2, mlp×2)', () => {
  for (const c of CASES) {
    it(`${c.name}: GPU loss and every parameter gradient match the f64 model`, async () => {
      const spec: ArchitectureSpec = {
        version: ARCHITECTURE_VERSION,
        dim: D,
        layers: [
          { type: 'mlp', config: { dim_inner: INNER } },
          { type: 'mlp', config: { dim_inner: INNER } },
        ],
        backbone: c.backbone === 'ae' ? 'autoencoder' : 'language-model',
        norm: c.norm,
        init: c.init,
      };
      const ids = randomInts(B * L, V, 3);
      const targets = c.backbone === 'ae' ? ids : randomInts(B * L, V, 4);
      const gpu = await testGpu();
      const g = new Graph(gpu.target);
      const params = new ParamFactory(g, 11, spec.init);
      const idsT = g.input([B, L], 'i32', 'ids', ids);
      const targetsT = g.input([B, L], 'i32', 'targets', targets);
      const { logits } = buildModel(g, params, idsT, spec, { vocabSize: V, maxLength: L });
      const loss = crossEntropy(g, logits, targetsT);
      g.backward(loss);

      const compiled = await compileGraph(g, gpu);
      compiled.run(['forward', 'backward']);
      const gpuLoss = (await compiled.read(loss))[0]!;
      const gpuGrads = await Promise.all(g.params.map(async (p) => (await compiled.read(g.gradOf(p))) as Float32Array));
      compiled.destroy();

      const values: Params = new Map(g.params.map((p) => [p.label, Float64Array.from(g.initialData.get(p)!)]));
      const f = (): number => modelLossRef(values, ids, targets, 2, c.backbone, c.norm);
      const refLoss = f();
      console.log(`${c.name}: loss GPU ${gpuLoss.toFixed(7)} f64 ${refLoss.toFixed(7)} (|diff| ${Math.abs(gpuLoss - refLoss).toExponential(2)})`);
      expect(Math.abs(gpuLoss - refLoss)).toBeLessThan(1e-5);

      const h = 1e-5;
      const failures: string[] = [];
      g.params.forEach((p, k) => {
        const x = values.get(p.label)!;
        const numeric = new Float64Array(x.length);
        for (let i = 0; i < x.length; i++) {
          const saved = x[i]!;
          x[i] = saved + h;
          const plus = f();
          x[i] = saved - h;
          const minus = f();
          x[i] = saved;
          numeric[i] = (plus - minus) / (2 * h);
        }
        const scale = numeric.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
        let maxDiff = 0;
        let bad = 0;
        numeric.forEach((n, i) => {
          const diff = Math.abs(gpuGrads[k]![i]! - n);
          maxDiff = Math.max(maxDiff, diff);
          if (diff > 2e-4 * scale + 1e-3 * Math.abs(n) + 1e-9) bad++;
        });
        console.log(`  ∇${p.label} [${p.shape.join('×')}]: max |∇| ${scale.toExponential(2)}, max |GPU − f64 FD| ${maxDiff.toExponential(2)}`);
        if (bad > 0) failures.push(`${p.label}: ${bad} of ${x.length} elements off (max |diff| ${maxDiff.toExponential(2)}, max |∇| ${scale.toExponential(2)})`);
        // A gradient that is identically zero would pass trivially: every parameter must matter.
        if (scale === 0) failures.push(`${p.label}: zero gradient`);
      });
      expect(failures).toEqual([]);
    });
  }
});
