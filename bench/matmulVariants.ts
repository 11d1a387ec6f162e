// Times matmul's GEMM kernels (shaders/matmul/gemm.wgsl: kernel1 naive, kernel2 register-blocked,
// kernel3 workgroup-memory tiled) on the current adapter, llm.c style: each variant is first
// checked against a CPU product at the shape it is timed on (sampled entries), then timed.
//   npx tsx bench/matmulVariants.ts [--quick] [--variants=register,tiled] [--backward]
// Prints GFLOP/s and the effective GB/s (each operand read once, C written once) per shape, and
// cpu-GF/s: FLOP per CPU-second of this process × cores, for CPU adapters on a busy machine.

import { availableParallelism } from 'node:os';
import { timeSubmits } from '../src/gpu/timing.ts';
import { compileGraph, type EngineGpu } from '../src/engine/compile.ts';
import { acquireEngineGpu } from '../src/engine/engineGpu.ts';
import { Graph } from '../src/engine/graph.ts';
import { linear, matmul, MATMUL_VARIANTS, matmulVariantFor, type MatmulVariant } from '../src/engine/ops/matmul/matmul.ts';
import { randomArray } from '../src/engine/testing/random.ts';

interface Shape {
  name: string;
  M: number;
  N: number;
  K: number;
  /** B given as PyTorch's Linear weight [N, K] (linear()), else [K, N]. */
  linear: boolean;
}

const SHAPES: Shape[] = [
  { name: 'square 128', M: 128, N: 128, K: 128, linear: false },
  { name: 'square 256', M: 256, N: 256, K: 256, linear: false },
  { name: 'square 512', M: 512, N: 512, K: 512, linear: false },
  { name: 'MAD x[16384,128]·W[128,128]ᵀ', M: 16384, N: 128, K: 128, linear: true },
  { name: 'MAD [16384,128]×[128,512]', M: 16384, N: 512, K: 128, linear: false },
];

interface Result {
  shape: string;
  variant: MatmulVariant;
  pass: 'forward' | 'forward+backward';
  ms: number;
  gflops: number;
  gbs: number;
  /** FLOP per CPU-second × cores: wall-clock GFLOP/s the kernel would reach with every core free. */
  cpuGflops: number;
  maxRelErr: number;
}

async function measure(gpu: EngineGpu, s: Shape, variant: MatmulVariant, backward: boolean, minMs: number): Promise<Result> {
  const g = new Graph(gpu.target);
  const aData = Float32Array.from(randomArray(s.M * s.K, 1));
  const bData = Float32Array.from(randomArray(s.K * s.N, 2));
  const a = g.input([s.M, s.K], 'f32', 'a', aData);
  const b = backward ? g.param(s.linear ? [s.N, s.K] : [s.K, s.N], bData, 'w') : g.input(s.linear ? [s.N, s.K] : [s.K, s.N], 'f32', 'b', bData);
  if (backward) g.markTrainable(a);
  const y = s.linear ? linear(g, a, b, undefined, 'none', variant) : matmul(g, a, b, { variant });
  if (backward) g.backward(y, g.input(y.shape, 'f32', 'dy', new Float32Array(y.size).fill(1e-3)));
  const compiled = await compileGraph(g, gpu);
  const phases = backward ? (['forward', 'backward'] as const) : (['forward'] as const);

  // Validate sampled entries of the forward product against f64 on the CPU.
  compiled.run(['forward']);
  const out = (await compiled.read(y)) as Float32Array;
  let maxRelErr = 0;
  for (let t = 0; t < 64; t++) {
    const m = (t * 7919) % s.M;
    const n = (t * 104729) % s.N;
    let ref = 0;
    let mag = 0;
    for (let k = 0; k < s.K; k++) {
      const p = aData[m * s.K + k]! * (s.linear ? bData[n * s.K + k]! : bData[k * s.N + n]!);
      ref += p;
      mag += Math.abs(p);
    }
    maxRelErr = Math.max(maxRelErr, Math.abs(out[m * s.N + n]! - ref) / mag);
  }

  const record = (encoder: GPUCommandEncoder): void => {
    if (backward) compiled.encodeGradientClear(encoder);
    compiled.encodePhases(encoder, phases);
  };
  const probe = await timeSubmits(gpu.device, record, 1, 1);
  const submits = Math.max(2, Math.min(50, Math.ceil(minMs / Math.max(probe.msPerSubmit, 1e-3))));
  // SwiftShader runs in this process, so its CPU time is ours: on a machine shared with other
  // work, CPU time per submit divided by the core count is a steadier figure than wall time.
  const cpu0 = process.cpuUsage();
  const timing = await timeSubmits(gpu.device, record, submits, 0);
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000 / submits;
  compiled.destroy();
  const flop = 2 * s.M * s.N * s.K * (backward ? 3 : 1);
  const bytes = 4 * (s.M * s.K + s.K * s.N + s.M * s.N) * (backward ? 3 : 1);
  const sec = timing.msPerSubmit / 1000;
  return {
    shape: s.name,
    variant,
    pass: backward ? 'forward+backward' : 'forward',
    ms: timing.msPerSubmit,
    gflops: flop / sec / 1e9,
    gbs: bytes / sec / 1e9,
    cpuGflops: flop / (cpuMs / 1000 / cores()) / 1e9,
    maxRelErr,
  };
}

const cores = (): number => availableParallelism();

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const backward = args.includes('--backward');
  const only = args.find((x) => x.startsWith('--variants='))?.slice('--variants='.length).split(',');
  const shapeFilter = args.find((x) => x.startsWith('--shapes='))?.slice('--shapes='.length);
  const gpu = await acquireEngineGpu({ label: 'matmul bench' });
  const info = gpu.adapterInfo;
  console.log(`adapter: ${info.vendor} / ${info.architecture} / ${info.description}; default kernel here: ${matmulVariantFor(gpu.target)}`);
  const variants = (only ?? MATMUL_VARIANTS) as MatmulVariant[];
  const shapes = SHAPES.filter((s) => !shapeFilter || s.name.includes(shapeFilter));
  const results: Result[] = [];
  const header = `${'shape'.padEnd(32)} ${'kernel'.padEnd(13)} ${'pass'.padEnd(17)} ${'ms'.padStart(9)} ${'GFLOP/s'.padStart(8)} ${'GB/s'.padStart(7)} ${'cpu-GF/s'.padStart(8)}  max rel err`;
  console.log(header);
  for (const s of shapes) {
    for (const variant of variants) {
      // The naive kernel needs ~15 s per MAD-sized product on SwiftShader; it is the baseline only.
      if (variant === 'naive' && s.M * s.N * s.K > 2 ** 27) continue;
      const passes = backward ? [false, true] : [false];
      for (const bw of passes) {
        const r = await measure(gpu, s, variant, bw, quick ? 300 : 2000);
        results.push(r);
        console.log(
          `${r.shape.padEnd(32)} ${r.variant.padEnd(13)} ${r.pass.padEnd(17)} ${r.ms.toFixed(1).padStart(9)} ${r.gflops.toFixed(3).padStart(8)} ${r.gbs.toFixed(3).padStart(7)} ${r.cpuGflops.toFixed(3).padStart(8)}  ${r.maxRelErr.toExponential(1)}`,
        );
        if (r.maxRelErr > 1e-5) throw new Error(`${r.variant} is wrong at ${r.shape}: relative error ${r.maxRelErr}`);
      }
    }
  }
  gpu.device.destroy();
}

await main();
