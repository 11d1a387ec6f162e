// Our side of `npm run bench -- kernels`: the shared Dawn GPU, every core op of src/engine/ops
// timed alone at MAD shapes (width 128, batch 128 × T 128 = 16,384 rows), the roofline proxies,
// and our MLP training step. Each case traces a Graph holding only that op, compiles it once,
// warms up, then times K submits queued back to back and awaited once with
// queue.onSubmittedWorkDone (src/gpu/timing.ts timeSubmits); with 'timestamp-query' it also
// reads the GPU's own time of the pass through a TimestampTimer. Graphs are traced for the
// adapter's kernel target, as the app and the CLI trace them.

import { existsSync, readdirSync } from 'node:fs';
import type { AdapterSummary } from '../src/gpu/device.ts';
import { dawnAttempts, type VulkanFiles } from '../src/gpu/nodeGpu.ts';
import { createBindGroup, createBuffer } from '../src/gpu/stats.ts';
import { createTimestampTimer, timeSubmits } from '../src/gpu/timing.ts';
import { compileGraph, type CompiledGraph } from '../src/engine/compile.ts';
import { acquireEngineGpu, type AcquiredEngineGpu } from '../src/engine/engineGpu.ts';
import { Graph } from '../src/engine/graph.ts';
import { normal } from '../src/engine/init.ts';
import type { Phase } from '../src/engine/launch.ts';
import { adamw, type AdamW } from '../src/engine/ops/adamw/adamw.ts';
import { crossEntropy } from '../src/engine/ops/crossEntropy/crossEntropy.ts';
import { embedding } from '../src/engine/ops/embedding/embedding.ts';
import { layernorm } from '../src/engine/ops/layernorm/layernorm.ts';
import { matmul, MATMUL_VARIANTS, matmulVariantFor, type MatmulVariant } from '../src/engine/ops/matmul/matmul.ts';
import { rmsnorm } from '../src/engine/ops/rmsnorm/rmsnorm.ts';
import { softmax } from '../src/engine/ops/softmax/softmax.ts';
import { unary } from '../src/engine/ops/unary/unary.ts';
import type { Tensor } from '../src/engine/tensor.ts';
import { Prng } from '../src/tasks/prng.ts';
import { createBenchTrainingStep, type BenchTrainingStep } from './trainingStepBench.ts';

export type { BenchTrainingStep } from './trainingStepBench.ts';

// ---------------------------------------------------------------------------------------------
// One Dawn GPU for the whole process

// The folders and file nodeGpu.ts looks in (it does not export its scan).
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
const SYSTEM_ICD_DIRS = ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d'];

interface DawnModule {
  create(flags: string[]): GPU;
  globals: object;
}

// Dawn destroys its instance when the GPU object is garbage-collected, and every device made from
// it then crashes the process (SIGSEGV, or SwiftShader aborting on a futex) at its next pipeline
// compile: keep each GPU object referenced for the life of the process, as nodeGpu.ts does.
const liveDawnGpus: GPU[] = [];

export interface SharedGpu {
  /** Dawn's GPU object: our engine and TF.js both request their adapter from it. */
  readonly gpu: GPU;
  /** The Vulkan driver Dawn was pointed at. */
  readonly driver: string;
}

/**
 * Creates Dawn's GPU once (src/gpu/nodeGpu.ts keeps its own instance private, so the bench makes
 * the one it shares), trying the Vulkan drivers in nodeGpu.ts's order (dawnAttempts): a GPU's own
 * driver, then lavapipe, then SwiftShader; MAD_NODE_GPU forces one, and a VK_ICD_FILENAMES or
 * VK_DRIVER_FILES set by the user is respected.
 */
export async function createDawnGpu(): Promise<SharedGpu> {
  const specifier = 'webgpu'; // non-literal, as in nodeGpu.ts
  const dawn = (await import(/* @vite-ignore */ specifier)) as DawnModule;
  for (const [name, value] of Object.entries(dawn.globals)) {
    if (!(name in globalThis)) Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
  }
  process.env.XDG_RUNTIME_DIR ??= process.env.TMPDIR ?? '/tmp';
  const attempts = dawnAttempts(process.env, process.platform, vulkanFiles());
  const flags = process.platform === 'linux' ? ['backend=vulkan'] : [];
  for (const attempt of attempts) {
    // As in nodeGpu.ts: the loader reads VK_ICD_FILENAMES when Dawn's instance is created.
    if (attempt.icdFile) {
      process.env.VK_ICD_FILENAMES = attempt.icdFile;
      delete process.env.VK_DRIVER_FILES;
    } else if (attempts.length > 1) {
      delete process.env.VK_ICD_FILENAMES;
    }
    const gpu = dawn.create(flags);
    if (await gpu.requestAdapter({ powerPreference: 'high-performance' })) {
      liveDawnGpus.push(gpu);
      return { gpu, driver: attempt.driver };
    }
  }
  throw new Error(`Dawn found no GPU adapter (tried ${attempts.map((a) => a.driver).join(', ')})`);
}

/** The machine's Vulkan files, as nodeGpu.ts reads them for dawnAttempts. */
function vulkanFiles(): VulkanFiles {
  if (process.platform !== 'linux') return { systemIcds: [], hasGpuNode: false, hasSwiftShader: false };
  const listing = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir) : []);
  return {
    systemIcds: SYSTEM_ICD_DIRS.flatMap((dir) => listing(dir).filter((name) => name.endsWith('.json')).map((name) => `${dir}/${name}`)),
    hasGpuNode: existsSync('/dev/nvidiactl') || existsSync('/dev/dxg') || listing('/dev/dri').some((name) => name.startsWith('renderD')),
    hasSwiftShader: existsSync(SWIFTSHADER_ICD),
  };
}

export interface BenchGpu extends AcquiredEngineGpu {
  readonly timestamps: boolean;
}

/** Our engine's device, acquired from the shared GPU object. */
export async function acquireBenchGpu(shared: SharedGpu): Promise<BenchGpu> {
  const gpu = await acquireEngineGpu({ gpu: shared.gpu, label: 'bench' });
  return { ...gpu, timestamps: gpu.features.includes('timestamp-query') };
}

export function describeAdapter(a: AdapterSummary): string {
  return [a.vendor, a.architecture, a.description].filter((s) => s !== '').join(' / ') || 'unknown adapter';
}

// ---------------------------------------------------------------------------------------------
// Seeded data

/** Uniform values in [lo, hi): a 64 Ki-value seeded block, tiled (large inputs fill fast). */
export function fillUniform(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const rng = new Prng(seed);
  const block = new Float32Array(Math.min(n, 65536)).map(() => lo + (hi - lo) * rng.random());
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += block.length) out.set(block.subarray(0, Math.min(block.length, n - i)), i);
  return out;
}

export function fillInts(n: number, below: number, seed: number): Int32Array {
  const rng = new Prng(seed);
  return Int32Array.from({ length: n }, () => rng.integer(below));
}

// ---------------------------------------------------------------------------------------------
// The MLP language model both sides train (ours here, TF.js in tfjsBaseline.ts)

export interface MlpStepSpec {
  /** Vocabulary. */
  V: number;
  /** Width. */
  D: number;
  /** Hidden width of each block's MLP. */
  H: number;
  layers: number;
  batch: number;
  seqLen: number;
  tokens: number;
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** 0 on both sides: TF.js has no AdamW, so the comparison runs Adam. */
  weightDecay: number;
  normEps: number;
  seed: number;
}

/**
 * embedding(V=64, D=128) → 2 × [x + W2·gelu_tanh(W1·rmsnorm(x))] (W1 128→512, W2 512→128, no
 * bias; rmsnorm with a learned scale) → rmsnorm → head Linear(128→64, bias) → softmax
 * cross-entropy, Adam(W) with weight decay 0, batch 32 × 128 tokens.
 */
export const MLP_STEP_SPEC: MlpStepSpec = {
  V: 64,
  D: 128,
  H: 512,
  layers: 2,
  batch: 32,
  seqLen: 128,
  tokens: 32 * 128,
  lr: 1e-3,
  beta1: 0.9,
  beta2: 0.999,
  eps: 1e-8,
  weightDecay: 0,
  normEps: 1e-5,
  seed: 7,
};

/** --quick: the same model on 4 × 128 tokens, so TF.js's step takes seconds, not minutes. */
export const QUICK_MLP_STEP_SPEC: MlpStepSpec = { ...MLP_STEP_SPEC, batch: 4, tokens: 4 * 128 };

/** Training FLOP of one step: matmuls only, forward 2·(layers·2·D·H + D·V) per token, ×3 with backward. */
export function mlpStepFlop(s: MlpStepSpec): number {
  return 3 * 2 * s.tokens * (s.layers * 2 * s.D * s.H + s.D * s.V);
}

export interface MlpStepData {
  inputs: Int32Array;
  targets: Int32Array;
  embedding: Float32Array;
  /** N(0, 0.02) values for a Linear weight (the paper's init), laid out as the caller wants. */
  linear(fanIn: number, fanOut: number, seed: number): Float32Array;
  ones(n: number): Float32Array;
}

export function mlpStepData(s: MlpStepSpec): MlpStepData {
  return {
    inputs: fillInts(s.tokens, s.V, s.seed),
    targets: fillInts(s.tokens, s.V, s.seed + 1),
    embedding: normal(new Prng(s.seed + 2), s.V * s.D, 0.02),
    linear: (fanIn, fanOut, seed) => normal(new Prng(s.seed * 1000 + seed), fanIn * fanOut, 0.02),
    ones: (n) => new Float32Array(n).fill(1),
  };
}

// ---------------------------------------------------------------------------------------------
// Timing

export interface TimingBudget {
  /** Aim for this much timed wall clock per measurement. */
  targetMs: number;
  /** For calls shorter than targetMs (longer ones are timed once after the warm-up). */
  minReps: number;
  maxReps: number;
  /**
   * A call slower than this is measured by its warm-up submit alone, and the case's heavier
   * passes are skipped: such a kernel is far off its roofline, and timing it longer would push
   * the run past its few minutes.
   */
  singleCallMs: number;
}

export const FULL_BUDGET: TimingBudget = { targetMs: 1500, minReps: 2, maxReps: 50, singleCallMs: 10_000 };
export const QUICK_BUDGET: TimingBudget = { targetMs: 250, minReps: 1, maxReps: 5, singleCallMs: 2_000 };

export interface Timing {
  /** Wall clock per submit over `reps` submits queued back to back. */
  ms: number;
  reps: number;
  /** GPU time of the compute pass (timestamp-query), the median over the timed submits. */
  gpuMs: number | null;
  /** Measured by the warm-up submit alone (slower than the budget's singleCallMs). */
  single: boolean;
}

/**
 * Times `record` (which encodes one compute pass, via beginComputePass on the encoder it gets):
 * one warm-up submit, whose time sizes K from the budget, then K submits queued back to back and
 * awaited once. With 'timestamp-query', each timed submit's pass also writes GPU timestamps into
 * its own slot of one query set, resolved by the last submit, so GPU time costs no extra submit.
 */
export async function timeRecorded(gpu: BenchGpu, record: (encoder: GPUCommandEncoder) => void, budget: TimingBudget): Promise<Timing> {
  const { device } = gpu;
  const warm = await timeSubmits(device, record, 1, 0);
  if (warm.msPerSubmit > budget.singleCallMs) return { ms: warm.msPerSubmit, reps: 1, gpuMs: null, single: true };
  const estimate = Math.max(warm.msPerSubmit, 1e-3);
  // A call longer than the target is timed once more (its spread is small next to its length).
  const reps = estimate >= budget.targetMs ? 1 : Math.max(budget.minReps, Math.min(budget.maxReps, Math.round(budget.targetMs / estimate)));
  const timer = gpu.timestamps ? createTimestampTimer(device, reps, 'bench timer') : null;
  let submitted = 0;
  const timedRecord = (encoder: GPUCommandEncoder): void => {
    if (!timer?.available) return record(encoder);
    const slot = submitted++;
    const writes = timer.passWrites(slot);
    // The recorder opens the pass; this view of the encoder adds the timestamp writes to it.
    const view = {
      beginComputePass: (d?: GPUComputePassDescriptor) => encoder.beginComputePass({ ...d, timestampWrites: writes }),
    } as unknown as GPUCommandEncoder;
    record(view);
    if (slot === reps - 1) timer.encodeResolve(encoder);
  };
  const timed = await timeSubmits(device, timedRecord, reps, 0);
  let gpuMs: number | null = null;
  if (timer?.available) {
    const ns = (await timer.collect()).filter((t) => t > 0).sort((a, b) => a - b);
    if (ns.length > 0) gpuMs = ns[Math.floor((ns.length - 1) / 2)]! / 1e6;
    timer.destroy();
  }
  return { ms: timed.msPerSubmit, reps, gpuMs, single: false };
}

/** Records a compiled graph's phases without clearing gradients (timing only: sums just grow). */
function graphRecorder(compiled: CompiledGraph, phases: readonly Phase[]): (encoder: GPUCommandEncoder) => void {
  return (encoder) => compiled.encodePhases(encoder, phases);
}

// ---------------------------------------------------------------------------------------------
// The kernel cases

export type Pass = 'forward' | 'forward+backward' | 'update';

/** The op a case times, named as in src/engine/ops/. */
export type OpKey = 'matmul' | 'unary' | 'rmsnorm' | 'layernorm' | 'softmax' | 'embedding' | 'crossEntropy' | 'adamw';

export interface KernelFigure {
  /** e.g. 'matmul 512×512·512×512'. */
  name: string;
  op: OpKey;
  pass: Pass;
  ms: number;
  gpuMs: number | null;
  reps: number;
  flop: number;
  bytes: number;
  gflops: number;
  gbs: number;
  /** Achieved / attainable under the measured roofline (null until the roofline is known). */
  roofline: number | null;
}

export interface SkippedCase {
  name: string;
  reason: string;
}

interface CaseCost {
  flop: number;
  bytes: number;
}

interface CaseGraph {
  out: Tensor;
  /** An optimizer whose per-step uniform must be written before running. */
  optimizer?: AdamW;
}

interface KernelCase {
  name: string;
  op: OpKey;
  /** Traces the op; returns the tensor to differentiate (when backward is timed). */
  build(g: Graph): CaseGraph;
  forward?: CaseCost;
  /** Cost of forward and backward together. */
  forwardBackward?: CaseCost;
  update?: CaseCost;
  /** Only in full runs (the largest shapes, kept for the roofline). */
  fullOnly?: boolean;
  /** Part of the matmul peak proxy. */
  squareMatmul?: number;
}

const F32 = 4;
/** MAD shapes: width 128, batch 128 × T 128. */
export const ROWS = 128 * 128;
export const WIDTH = 128;

function input(g: Graph, shape: number[], seed: number, trainable = true, lo = -1, hi = 1): Tensor {
  const t = g.input(shape, 'f32', `x${seed}`, fillUniform(shape.reduce((a, b) => a * b, 1), seed, lo, hi));
  if (trainable) g.markTrainable(t);
  return t;
}

function param(g: Graph, shape: number[], seed: number, std = 0.02): Tensor {
  return g.param(shape, normal(new Prng(seed), shape.reduce((a, b) => a * b, 1), std), `w${seed}`);
}

/**
 * Square matmul n×n·n×n (what TF.js is timed on), with the adapter's GEMM kernel or the named
 * `variant`. FLOP 2n³; bytes 4·3n² (each operand read once, the result written once).
 */
function squareMatmul(n: number, fullOnly = false, variant?: MatmulVariant): KernelCase {
  return {
    name: `matmul ${n}×${n}·${n}×${n}${variant ? ` [${variant} kernel]` : ''}`,
    op: 'matmul',
    squareMatmul: n,
    fullOnly,
    build: (g) => ({ out: matmul(g, input(g, [n, n], 1), input(g, [n, n], 2), { variant }) }),
    forward: { flop: 2 * n ** 3, bytes: F32 * 3 * n * n },
  };
}

/**
 * Linear y = x·Wᵀ (+ epilogue), x [M,K], W [N,K]. Forward 2MKN FLOP, bytes 4(MK + NK + MN);
 * backward dx = dy·W and dW = dyᵀ·x, 2MKN each, each reading its two operands and writing its
 * result once: forward+backward 6MKN FLOP, 3·4(MK + NK + MN) bytes. The epilogue's bias and gelu
 * are not counted as FLOP.
 */
function linear(M: number, K: number, N: number, activation?: 'gelu-tanh'): KernelCase {
  const bytes = F32 * (M * K + N * K + M * N);
  return {
    name: `linear [${M},${K}]·[${N},${K}]ᵀ${activation ? ` + ${activation}` : ''}`,
    op: 'matmul',
    build: (g) => ({ out: matmul(g, input(g, [M, K], 3), param(g, [N, K], 4), { transposeB: true, activation }) }),
    forward: { flop: 2 * M * K * N, bytes },
    forwardBackward: { flop: 6 * M * K * N, bytes: 3 * bytes },
  };
}

/** The FLOP counted per element for gelu-tanh: x³ 2, fma 2, scale 1, tanh 1, 1+·, ·x, ·0.5 → 8. */
const GELU_FLOP = 8;
/** Its derivative (tanh recomputed, then 0.5(1+t) + 0.5x(1−t²)c(1+3·0.044715x²), times dy) → 18. */
const GELU_BACKWARD_FLOP = 18;

/** The cases of a run; `variants` adds the 512² matmul once per GEMM kernel of matmul.ts. */
function buildCases(V_CE: readonly number[], variants: readonly MatmulVariant[]): KernelCase[] {
  const R = ROWS;
  const D = WIDTH;
  const n = R * 512;
  const V = 8192;
  const cases: KernelCase[] = [
    squareMatmul(128),
    squareMatmul(256),
    squareMatmul(512),
    squareMatmul(1024, true),
    ...variants.map((v) => squareMatmul(512, true, v)),
    linear(R, D, D),
    linear(R, D, 512, 'gelu-tanh'),
    {
      // Forward reads x, writes y (8n bytes); backward reads x and dy and adds into dx (16n).
      name: `unary gelu-tanh [${R},512]`,
      op: 'unary',
      build: (g) => ({ out: unary(g, 'gelu-tanh', input(g, [R, 512], 5, true, -4, 4)) }),
      forward: { flop: GELU_FLOP * n, bytes: F32 * 2 * n },
      forwardBackward: { flop: (GELU_FLOP + GELU_BACKWARD_FLOP) * n, bytes: F32 * 6 * n },
    },
    {
      // Forward: Σx² (2D), scale by rsqrt and weight (2D) → 4RD FLOP; reads x, w, writes y.
      // Backward: dx = r·(w·dy − x·r²·mean(w·dy·x)) ≈ 7RD, dw = Σ dy·x·r ≈ 3RD;
      // reads x, dy, w, adds into dx, writes dw.
      name: `rmsnorm [${R},${D}]`,
      op: 'rmsnorm',
      build: (g) => ({ out: rmsnorm(g, input(g, [R, D], 6), param(g, [D], 7, 1), 1e-5) }),
      forward: { flop: 4 * R * D, bytes: F32 * (2 * R * D + D) },
      forwardBackward: { flop: 14 * R * D, bytes: F32 * (2 * R * D + D + 4 * R * D + 2 * D) },
    },
    {
      // Forward: mean D, variance 3D, normalise and affine 3D → 7RD; backward ≈ 2× the
      // rmsnorm one plus dbias: 16RD. Bytes as rmsnorm plus the bias (and dbias).
      name: `layernorm [${R},${D}]`,
      op: 'layernorm',
      build: (g) => ({ out: layernorm(g, input(g, [R, D], 8), param(g, [D], 9, 1), param(g, [D], 10, 0), 1e-5) }),
      forward: { flop: 7 * R * D, bytes: F32 * (2 * R * D + 2 * D) },
      forwardBackward: { flop: 23 * R * D, bytes: F32 * (2 * R * D + 2 * D + 4 * R * D + 4 * D) },
    },
    {
      // Forward: max D, x − max and exp 2D, sum D, scale D → 5RD; reads x, writes y.
      // Backward: dx = y·(dy − Σ dy·y) → 4RD; reads y, dy, adds into dx.
      name: `softmax [${R},${D}]`,
      op: 'softmax',
      build: (g) => ({ out: softmax(g, input(g, [R, D], 11, true, -4, 4)) }),
      forward: { flop: 5 * R * D, bytes: F32 * 2 * R * D },
      forwardBackward: { flop: 9 * R * D, bytes: F32 * 6 * R * D },
    },
    {
      // Forward is a gather: reads R ids and R rows, writes R rows; no FLOP.
      // Backward scatters dY into dE: reads ids and dY, adds R·D values, writes the V·D table.
      name: `embedding V=${V} D=${D} × ${R} ids`,
      op: 'embedding',
      build: (g) => {
        const ids = g.input([R], 'i32', 'ids', fillInts(R, V, 12));
        return { out: embedding(g, ids, param(g, [V, D], 13)) };
      },
      forward: { flop: 0, bytes: F32 * (R + 2 * R * D) },
      forwardBackward: { flop: R * D, bytes: F32 * (R + 2 * R * D) + F32 * (R + R * D + V * D) },
    },
    ...V_CE.map(
      (v): KernelCase => ({
        // Per row: max v, exp(z − max) 2v, sum v, log and pick → 4Rv FLOP; reads the logits.
        // Backward: dz = (softmax(z) − onehot)/R recomputed, 3Rv; reads z, adds into dz.
        name: `cross-entropy [${R}, V=${v}]`,
        op: 'crossEntropy',
        build: (g) => {
          const targets = g.input([R], 'i32', 'targets', fillInts(R, v, 14));
          return { out: crossEntropy(g, input(g, [R, v], 15, true, -3, 3), targets) };
        },
        forward: { flop: 4 * R * v, bytes: F32 * (R * v + R) },
        forwardBackward: { flop: 7 * R * v, bytes: F32 * (R * v + R) + F32 * (3 * R * v + R) },
      }),
    ),
    {
      // p ← p − lr·wd·p; m, v moments; bias-corrected step: ≈ 16 FLOP per parameter
      // (sqrt and divide counted as one each); reads p, g, m, v and writes p, m, v: 28 bytes.
      name: `adamw ${ADAMW_PARAMS.toLocaleString('en-US')} params`,
      op: 'adamw',
      build: (g) => {
        for (let i = 0; i < 6; i++) param(g, i % 2 === 0 ? [512, 128] : [128, 512], 20 + i);
        g.phase = 'update';
        const optimizer = adamw(g, { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 });
        return { out: g.params[0]!, optimizer };
      },
      update: { flop: 16 * ADAMW_PARAMS, bytes: 28 * ADAMW_PARAMS },
    },
  ];
  return cases;
}

/** Six 128×512 matrices: the weights of three width-128 MLP blocks, ~400k parameters. */
const ADAMW_PARAMS = 6 * 128 * 512;

export interface OursKernelResults {
  figures: KernelFigure[];
  skipped: SkippedCase[];
}

export async function measureOurKernels(
  gpu: BenchGpu,
  options: { quick: boolean; budget: TimingBudget; log: (line: string) => void; filter?: string },
): Promise<OursKernelResults> {
  const figures: KernelFigure[] = [];
  const skipped: SkippedCase[] = [];
  // Full runs also time matmul.ts's other GEMM kernels at 512².
  const variants = options.quick ? [] : MATMUL_VARIANTS.filter((v) => v !== matmulVariantFor(gpu.target));
  const cases = buildCases(options.quick ? [64] : [64, 8192], variants)
    .filter((c) => !(options.quick && c.fullOnly))
    .filter((c) => options.filter === undefined || c.name.includes(options.filter));
  let index = 0;
  for (const c of cases) {
    index++;
    options.log(`[${index}/${cases.length}] ours ${c.name}`);
    let compiled: CompiledGraph | undefined;
    try {
      const graph = new Graph(gpu.target);
      const result = c.build(graph);
      if (c.forwardBackward) {
        const out = result.out;
        if (out.size === 1) graph.backward(out);
        else graph.backward(out, graph.input(out.shape, 'f32', 'upstream', fillUniform(out.size, 99)));
      }
      compiled = await compileGraph(graph, gpu);
      if (result.optimizer) compiled.writeStepUniform(result.optimizer.stepUniform(1e-3, 1));
      const passes: [Pass, readonly Phase[], CaseCost | undefined][] = [
        ['forward', ['forward'], c.forward],
        ['forward+backward', ['forward', 'backward'], c.forwardBackward],
        ['update', ['update'], c.update],
      ];
      let tooSlow: string | null = null;
      for (const [pass, phases, cost] of passes) {
        if (!cost) continue;
        if (tooSlow) {
          skipped.push({ name: `${c.name} (${pass})`, reason: tooSlow });
          options.log(`    ${pass}: skipped (${tooSlow})`);
          continue;
        }
        if (!graph.launches.some((l) => phases.includes(l.phase))) {
          skipped.push({ name: `${c.name} (${pass})`, reason: `the launcher recorded no ${phases.join('/')} launch` });
          continue;
        }
        const t = await timeRecorded(gpu, graphRecorder(compiled, phases), options.budget);
        const f = figure(c.name, c.op, pass, t, cost);
        figures.push(f);
        if (t.single) {
          tooSlow = `${pass} took ${(t.ms / 1000).toFixed(1)} s per call, over the ${options.budget.singleCallMs / 1000} s a call may take in this run`;
          options.log(`    warning: ${c.name} ${tooSlow}: timed once, heavier passes skipped`);
        }
        options.log(`    ${pass}: ${fmtMs(t.ms)} ms/call (${t.single ? 'one call' : `${t.reps} reps`}${t.gpuMs !== null ? `, GPU ${fmtMs(t.gpuMs)} ms` : ''}), ${f.gflops.toFixed(2)} GFLOP/s, ${f.gbs.toFixed(2)} GB/s`);
      }
    } catch (err) {
      const reason = err instanceof Error ? err.message.split('\n')[0]! : String(err);
      skipped.push({ name: c.name, reason });
      options.log(`    skipped: ${reason}`);
    } finally {
      compiled?.destroy();
    }
  }
  return { figures, skipped };
}

/** A compiled n×n·n×n matmul, kept to be re-timed next to TF.js's (see main.ts). */
export interface PreparedMatmul {
  n: number;
  /** Forward timing and GFLOP/s (2n³ / time). */
  time(budget: TimingBudget): Promise<Timing & { gflops: number }>;
  destroy(): void;
}

export async function prepareSquareMatmul(gpu: BenchGpu, n: number): Promise<PreparedMatmul> {
  const graph = new Graph(gpu.target);
  squareMatmul(n).build(graph);
  const compiled = await compileGraph(graph, gpu);
  return {
    n,
    time: async (budget) => {
      const t = await timeRecorded(gpu, graphRecorder(compiled, ['forward']), budget);
      return { ...t, gflops: (2 * n ** 3) / (t.ms * 1e6) };
    },
    destroy: () => compiled.destroy(),
  };
}

function figure(name: string, op: OpKey, pass: Pass, t: Timing, cost: CaseCost): KernelFigure {
  return {
    name,
    op,
    pass,
    ms: t.ms,
    gpuMs: t.gpuMs,
    reps: t.reps,
    flop: cost.flop,
    bytes: cost.bytes,
    gflops: cost.flop / (t.ms * 1e6),
    gbs: cost.bytes / (t.ms * 1e6),
    roofline: null,
  };
}

export function fmtMs(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

// ---------------------------------------------------------------------------------------------
// Roofline proxies

export interface Roofline {
  /** Best GFLOP/s of our GEMMs: the square ones (up to 1024², timed for this) and the Linear shapes. */
  gflops: number | null;
  gflopsFrom: string;
  /** Best of copyBufferToBuffer and a WGSL copy kernel, counting read + write bytes. */
  gbs: number;
  gbsFrom: string;
  copyBufferGbs: number;
  copyKernelGbs: number;
}

/** Per invocation, grid-stride: the best of 1–64 measured on SwiftShader (16: 2.7 GB/s vs 1.4 for 1). */
const COPY_PER_INVOCATION = 16;
const COPY_KERNEL = /* wgsl */ `
@group(0) @binding(0) var<storage, read> src: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> dst: array<vec4<f32>>;
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) id: vec3<u32>, @builtin(num_workgroups) n: vec3<u32>) {
  let threads = n.x * n.y * 256u;
  let t = id.x + id.y * n.x * 256u;
  let len = arrayLength(&src);
  for (var k = 0u; k < ${COPY_PER_INVOCATION}u; k++) {
    let i = t + k * threads;
    if (i < len) { dst[i] = src[i]; }
  }
}`;

/** Memory bandwidth proxies: a 64 MiB buffer copied by the copy engine, and by a compute kernel. */
export async function measureCopyBandwidth(gpu: BenchGpu, budget: TimingBudget, quick: boolean): Promise<{ copyBufferGbs: number; copyKernelGbs: number }> {
  const { device } = gpu;
  const bytes = (quick ? 16 : 64) * 2 ** 20;
  const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
  const a = createBuffer(device, { size: bytes, usage, label: 'bench copy src' });
  const b = createBuffer(device, { size: bytes, usage, label: 'bench copy dst' });
  const copy = await timeSubmits(device, (e) => e.copyBufferToBuffer(a, 0, b, 0, bytes), Math.max(budget.minReps, quick ? 2 : 10), 1);
  const pipeline = await gpu.pipelines.get({ code: COPY_KERNEL, label: 'bench copy kernel' });
  const bindGroup = createBindGroup(device, {
    layout: pipeline.getBindGroupLayout(0),
    entries: [
      { binding: 0, resource: { buffer: a } },
      { binding: 1, resource: { buffer: b } },
    ],
  });
  const groups = bytes / 16 / 256 / COPY_PER_INVOCATION;
  const x = Math.min(groups, 32768);
  const kernel = await timeRecorded(
    gpu,
    (e) => {
      const pass = e.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bindGroup);
      pass.dispatchWorkgroups(x, Math.ceil(groups / x));
      pass.end();
    },
    budget,
  );
  a.destroy();
  b.destroy();
  return { copyBufferGbs: (2 * bytes) / (copy.msPerSubmit * 1e6), copyKernelGbs: (2 * bytes) / (kernel.ms * 1e6) };
}

/** Fills in each figure's roofline ratio: achieved / min(peak FLOP/s, bandwidth × FLOP per byte). */
export function applyRoofline(figures: KernelFigure[], roof: Roofline): void {
  for (const f of figures) {
    if (f.flop === 0 || roof.gflops === null) {
      f.roofline = f.gbs / roof.gbs;
      continue;
    }
    const attainable = Math.min(roof.gflops, roof.gbs * (f.flop / f.bytes));
    f.roofline = f.gflops / attainable;
  }
}

export function rooflineFrom(figures: KernelFigure[], copy: { copyBufferGbs: number; copyKernelGbs: number }): Roofline {
  const gemms = figures.filter((f) => f.op === 'matmul');
  const best = gemms.reduce<KernelFigure | null>((b, f) => (b === null || f.gflops > b.gflops ? f : b), null);
  const kernelWins = copy.copyKernelGbs >= copy.copyBufferGbs;
  return {
    gflops: best?.gflops ?? null,
    gflopsFrom: best ? `our ${best.name}, ${best.pass}` : 'no matmul measured',
    gbs: Math.max(copy.copyBufferGbs, copy.copyKernelGbs),
    gbsFrom: kernelWins ? 'WGSL copy kernel' : 'copyBufferToBuffer',
    ...copy,
  };
}

// ---------------------------------------------------------------------------------------------
// Our MLP training step

/**
 * Our side of the MLP comparison: the product's own training step, as the app and the CLI train —
 * buildTrainingProgram on an ArchitectureSpec of `layers` × mlp (src/train/trainingProgram.ts:
 * forward, cross-entropy with accuracy counters, metric sums, backward, gradient norm, AdamW) and
 * TrainingStep.train (src/engine/trainingStep.ts: batch upload, step uniform, one submit). That is
 * more work per step than the TF.js side does (no metrics or gradient norm there).
 */
export async function createOursMlpStep(gpu: BenchGpu, spec: MlpStepSpec): Promise<BenchTrainingStep> {
  const data = mlpStepData(spec);
  return createBenchTrainingStep(gpu, {
    architecture: {
      version: 1,
      name: 'bench mlp',
      dim: spec.D,
      layers: Array.from({ length: spec.layers }, () => ({ type: 'mlp', config: { dim_inner: spec.H } })),
      backbone: 'language-model',
      norm: 'rms',
    },
    vocabSize: spec.V,
    batchSize: spec.batch,
    seqLen: spec.seqLen,
    weightDecay: spec.weightDecay,
    lr: spec.lr,
    seed: spec.seed,
    batch: [data.inputs, data.targets],
    source: `the product's training step (src/train/trainingProgram.ts buildTrainingProgram, ${spec.layers} × mlp; src/engine/trainingStep.ts TrainingStep.train)`,
  });
}

export interface OursMlpStepResult {
  steps: number;
  warmupMs: number;
  msPerStep: number;
  source: string;
}

/** One untimed warm-up step, then `steps` steps submitted back to back and awaited once. */
export async function timeOursMlpStep(gpu: BenchGpu, step: BenchTrainingStep, steps: number): Promise<OursMlpStepResult> {
  const { queue } = gpu.device;
  const warm = performance.now();
  step.step();
  await queue.onSubmittedWorkDone();
  const warmupMs = performance.now() - warm;
  const start = performance.now();
  for (let i = 0; i < steps; i++) step.step();
  await queue.onSubmittedWorkDone();
  return { steps, warmupMs, msPerStep: (performance.now() - start) / steps, source: step.source };
}
