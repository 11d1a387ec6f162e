// The AutoEncoder (docs/protocol.md §5.2): its fixed sinusoidal table, last-position pooling observed on the
// GPU, and the whole compression training program built from an ArchitectureSpec learning.
// Gradients of every parameter against an f64 model are checked in modelGradient.test.ts.

import { describe, expect, it } from 'vitest';
import { compileGraph } from '../engine/compile.ts';
import { Graph } from '../engine/graph.ts';
import { testGpu } from '../engine/testing/gpu.ts';
import { randomInts } from '../engine/testing/random.ts';
import { TrainingStep } from '../engine/trainingStep.ts';
import { buildTrainingProgram } from '../train/trainingProgram.ts';
import { architectureFromLayers } from './architecture.ts';
import { sinusoidalTable } from './autoEncoder.ts';
import { buildModel } from './build.ts';
import { ParamFactory } from '../engine/params.ts';

describe('AutoEncoder', () => {
  it('positional table: [sin(p·ω_k) for k < 64, cos(p·ω_k) for k < 64], ω_k = exp(−k·ln(10000)/63) at d=128', () => {
    const L = 40;
    const t = sinusoidalTable(L, 128);
    expect(t.length).toBe(L * 128);
    for (const [p, k] of [
      [0, 0],
      [1, 0],
      [7, 5],
      [39, 63],
      [13, 31],
    ] as const) {
      const omega = Math.exp((-k * Math.log(10000)) / 63);
      expect(t[p * 128 + k]).toBeCloseTo(Math.sin(p * omega), 6);
      expect(t[p * 128 + 64 + k]).toBeCloseTo(Math.cos(p * omega), 6);
    }
    expect(Math.exp((-63 * Math.log(10000)) / 63)).toBeCloseTo(1e-4, 12); // the slowest frequency
    expect(() => sinusoidalTable(4, 7)).toThrow(/even dim/);
  });

  it('decodes from the last position only: with position-wise layers, equal last tokens give equal logits', async () => {
    const B = 3;
    const L = 5;
    const V = 7;
    const ids = new Int32Array([1, 2, 3, 4, 6, 0, 5, 5, 2, 6, 3, 3, 3, 3, 1]); // rows 0 and 1 end in 6, row 2 in 1
    const gpu = await testGpu();
    const g = new Graph(gpu.target);
    const idsT = g.input([B, L], 'i32', 'ids', ids);
    const spec = architectureFromLayers(['mlp'], { dim: 8 });
    const { logits, backbone } = buildModel(g, new ParamFactory(g, 2), idsT, spec, { vocabSize: V, maxLength: L, task: 'compression' });
    expect(backbone).toBe('autoencoder');
    expect(logits.shape).toEqual([B, L, V]);
    const compiled = await compileGraph(g, gpu);
    compiled.run(['forward']);
    const out = (await compiled.read(logits)) as Float32Array;
    compiled.destroy();
    const row = (b: number) => Array.from(out.subarray(b * L * V, (b + 1) * L * V));
    expect(row(0)).toEqual(row(1));
    expect(row(2)).not.toEqual(row(0));
    // Positions differ through the table: no two positions of a row decode alike.
    const positions = new Set([0, 1, 2, 3, 4].map((p) => out.subarray(p * V, (p + 1) * V).join(',')));
    expect(positions.size).toBe(L);
  });

  it('a compression training program from an ArchitectureSpec learns to reconstruct (loss falls)', async () => {
    const V = 6;
    const L = 4;
    const B = 16;
    const gpu = await testGpu();
    const program = buildTrainingProgram({
      architecture: architectureFromLayers(['mlp', 'mlp'], { dim: 16 }),
      target: gpu.target,
      vocabSize: V,
      task: 'compression',
      batchSize: B,
      seqLen: L,
      weightDecay: 0,
      seed: 3,
    });
    expect(program.backbone).toBe('autoencoder');
    expect(program.logits.shape).toEqual([B, L, V]);
    const step = await TrainingStep.compile(gpu, program);
    // One fixed batch of compression instances: L−1 random tokens, then the compression token V−1.
    const ids = randomInts(B * L, V - 1, 9).map((v, i) => (i % L === L - 1 ? V - 1 : v));
    // Position-wise layers see only the (constant) compression token at the pooled position, so
    // the decoder can learn each position's token frequencies in this batch, not the tokens: the
    // loss falls from ln 6 ≈ 1.79 towards that floor (≈ 1.1–1.2), which is all this test asks.
    // The second read is the mean loss of steps 1–9 (metrics accumulate between reads).
    const losses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const read = step.train([ids, ids], 1e-2, { readMetrics: i === 0 || i === 9 });
      if (read) losses.push((await read).loss);
    }
    step.destroy();
    console.log(`AutoEncoder (mlp×2, d=16) on one compression batch: loss ${losses.map((l) => l.toFixed(3)).join(' → ')}`);
    expect(losses[0]).toBeGreaterThan(1.5); // ≈ ln 6 at init
    expect(losses.at(-1)!).toBeLessThan(losses[0]! * 0.92);
  });
});
