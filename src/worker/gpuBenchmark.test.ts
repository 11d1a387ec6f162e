// The GPU check's benchmark in small mode on the test GPU: a figure for each kernel and for the
// small model's training step, every one positive and finite, with FLOPs from the stated counts,
// and a progress call before each; 'mad' mode lists every paper preset at MAD's kernel shape.
import { describe, expect, it } from 'vitest';
import { testGpu } from '../engine/testing/gpu.ts';
import { MAD_KERNEL_SHAPE } from '../engine/ops/madShape.ts';
import { loadPresets } from '../model/presets.ts';
import { runBenchmarks } from './gpuBenchmark.ts';
import { kernelWorkloads } from './gpuBenchmarkKernels.ts';
import { stepWorkloads } from './gpuBenchmarkSteps.ts';

describe('GPU check benchmark', () => {
  it('times every kernel and the small training step, with progress before each', async () => {
    const gpu = await testGpu();
    const seen: string[] = [];
    const start = performance.now();
    const { kernels, steps } = await runBenchmarks(gpu, 'small', (done, total, name) => seen.push(`${done}/${total} ${name}`));
    for (const k of kernels) console.log(`${k.name} [${k.shape}]: ${k.msPerRun.toFixed(2)} ms, ${k.gflops.toFixed(2)} GFLOP/s (${k.runs} runs)`);
    for (const s of steps) console.log(`${s.architecture} [${s.shape}]: ${s.msPerStep.toFixed(1)} ms/step, ${Math.round(s.tokensPerSecond)} tokens/s, ${s.gflops.toFixed(2)} GFLOP/s (${s.steps} steps)`);
    console.log(`small benchmark: ${((performance.now() - start) / 1000).toFixed(1)} s`);

    expect(kernels.map((k) => k.name)).toEqual(kernelWorkloads('small').map((w) => w.name));
    expect(steps).toHaveLength(1);
    expect(seen).toHaveLength(kernels.length + steps.length);
    expect(seen[0]).toBe(`0/${seen.length} matmul forward`);
    // matmul's count is 2·M·N·K at 256×512×128.
    expect(kernels[0]!.flops).toBe(2 * 256 * 512 * 128);
    for (const r of [...kernels.map((k) => ({ ms: k.msPerRun, gflops: k.gflops, flops: k.flops })), ...steps.map((s) => ({ ms: s.msPerStep, gflops: s.gflops, flops: s.flopsPerStep }))]) {
      expect(r.ms).toBeGreaterThan(0);
      expect(r.flops).toBeGreaterThan(0);
      expect(r.gflops).toBeCloseTo(r.flops / (r.ms * 1e6), 9);
    }
    expect(steps[0]!.tokensPerSecond).toBeCloseTo((2 * 16) / (steps[0]!.msPerStep / 1000), 6);
  }, 120_000);

  it("'mad' mode times every paper preset at MAD's kernel shape", () => {
    const paper = loadPresets().filter((p) => p.source === 'paper');
    const mad = stepWorkloads('mad');
    expect(mad.map((w) => w.name)).toEqual(paper.map((p) => p.name));
    const { batch, seqLen, dim } = MAD_KERNEL_SHAPE;
    for (const w of mad) expect([w.batchSize, w.seqLen, w.architecture.dim]).toEqual([batch, seqLen, dim]);
  });
});
