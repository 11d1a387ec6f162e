// The baseline our kernels must beat: TensorFlow.js 4.22 on its WebGPU backend, run in this Node
// process on the SAME Dawn GPU object (hence the same adapter) as our engine. TF.js looks WebGPU up
// as navigator.gpu, so initTfjs installs the shared GPU there before importing TF.js. TF.js is a
// devDependency for this file only; nothing under src/ may import it.
//
// Measured here: tf.matMul at n×n·n×n, and one training step of the MLP language model of
// MLP_STEP_SPEC (bench/kernels.ts), trained with optimizer.minimize (tf.variableGrads inside) and
// tf.train.adam. TF.js has no AdamW: both sides run Adam, weight decay 0, for the comparison.

import type * as TfCore from '@tensorflow/tfjs-core';
import { MLP_STEP_SPEC, mlpStepData, type MlpStepSpec } from './kernels.ts';

export type Tf = typeof TfCore;

export interface TfjsMatmulResult {
  n: number;
  reps: number;
  /** Wall clock per tf.matMul, timed from the first call to the last result's data(). */
  ms: number;
  /** 2n³ / time. */
  gflops: number;
}

export interface TfjsMlpStepResult {
  steps: number;
  /** The first (warm-up) step, shader compilation included. */
  warmupMs: number;
  msPerStep: number;
  lossFirst: number;
  lossLast: number;
}

export interface TfjsBackendInfo {
  backend: string;
  adapter: string;
}

/**
 * Points TF.js at `gpu` and switches it to its WebGPU backend. The globals WebGPU code expects
 * (GPUBufferUsage…) must already be installed, as createDawnGpu does.
 */
export async function initTfjs(gpu: GPU): Promise<{ tf: Tf; info: TfjsBackendInfo }> {
  // Node 21+ defines a read-only navigator getter; replace it rather than assign through it.
  Object.defineProperty(globalThis, 'navigator', {
    value: { gpu, userAgent: `Node.js ${process.version}`, language: 'en' },
    configurable: true,
    writable: true,
  });
  const tf = await import('@tensorflow/tfjs-core');
  await registerTfjsGradients();
  await import('@tensorflow/tfjs-backend-webgpu');
  if (!(await tf.setBackend('webgpu'))) throw new Error('TF.js could not start its webgpu backend on this GPU');
  await tf.ready();
  const backend = tf.backend() as unknown as { adapterInfo?: { vendor?: string; architecture?: string } };
  const adapter = [backend.adapterInfo?.vendor, backend.adapterInfo?.architecture].filter(Boolean).join(' / ');
  return { tf, info: { backend: tf.getBackend(), adapter: adapter || 'unknown' } };
}

// tfjs-core's Node bundle registers no gradients: the @tensorflow/tfjs bundle imports
// register_all_gradients, which ships only as ES modules with extensionless relative imports that
// Node cannot resolve. This resolve hook adds the extension inside tfjs-core's dist folder. The
// gradients land in TF.js's registries, which live on globalThis and are shared by every copy of
// tfjs-core in the process (as are its engine and Tensor class), so the Node bundle sees them.
const EXTENSIONLESS_TFJS_HOOK = `
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
export async function resolve(specifier, context, next) {
  const parent = context.parentURL ?? '';
  if (specifier.startsWith('.') && parent.includes('/@tensorflow/tfjs-core/dist/') && !/\\.[cm]?js$/.test(specifier)) {
    for (const candidate of [specifier + '.js', specifier + '/index.js']) {
      const url = new URL(candidate, parent);
      if (existsSync(fileURLToPath(url))) return next(url.href, context);
    }
  }
  return next(specifier, context);
}`;

export async function registerTfjsGradients(): Promise<void> {
  const { register } = await import('node:module');
  register(`data:text/javascript,${encodeURIComponent(EXTENSIONLESS_TFJS_HOOK)}`);
  const specifier = '@tensorflow/tfjs-core/dist/register_all_gradients.js';
  await import(/* @vite-ignore */ specifier);
}

/** tf.matMul of two n×n f32 matrices: one untimed warm-up call, then `reps` back to back. */
export async function timeTfjsMatmul(tf: Tf, n: number, reps: number): Promise<TfjsMatmulResult> {
  const a = tf.randomUniform([n, n], -1, 1, 'float32', 1);
  const b = tf.randomUniform([n, n], -1, 1, 'float32', 2);
  const warm = tf.matMul(a, b);
  await warm.data();
  warm.dispose();
  const start = performance.now();
  const outs: TfCore.Tensor[] = [];
  for (let i = 0; i < reps; i++) outs.push(tf.matMul(a, b));
  // The queue runs in order, so the last result's data arrives after every product is done.
  await outs[outs.length - 1]!.data();
  const ms = (performance.now() - start) / reps;
  for (const t of outs) t.dispose();
  a.dispose();
  b.dispose();
  // FLOP formula: n·n outputs, each a dot product of n multiply-adds → 2n³.
  return { n, reps, ms, gflops: (2 * n ** 3) / (ms * 1e6) };
}

/**
 * One untimed warm-up step, then `steps` training steps of the MLP language model, queued back to
 * back; the clock stops when the last step's loss has been read back.
 */
export async function timeTfjsMlpStep(
  tf: Tf,
  steps: number,
  spec: MlpStepSpec = MLP_STEP_SPEC,
  onStep?: (done: number, ms: number) => void,
): Promise<TfjsMlpStepResult> {
  const { D, H, V, layers, tokens } = spec;
  const data = mlpStepData(spec);
  const param = (shape: number[], values: Float32Array, name: string): TfCore.Variable =>
    tf.variable(tf.tensor(values, shape, 'float32'), true, name);
  // Linear weights in TF.js's natural layout [in, out] (y = x·W), no transposes anywhere.
  const embedding = param([V, D], data.embedding, 'embedding');
  const blocks = Array.from({ length: layers }, (_, l) => ({
    norm: param([D], data.ones(D), `block${l}.norm`),
    w1: param([D, H], data.linear(D, H, 10 + l), `block${l}.w1`),
    w2: param([H, D], data.linear(H, D, 20 + l), `block${l}.w2`),
  }));
  const finalNorm = param([D], data.ones(D), 'final.norm');
  const headW = param([D, V], data.linear(D, V, 30), 'head.w');
  const headB = param([V], new Float32Array(V), 'head.b');

  const ids = tf.tensor1d(data.inputs, 'int32');
  const targets = tf.oneHot(tf.tensor1d(data.targets, 'int32'), V);
  const optimizer = tf.train.adam(spec.lr, spec.beta1, spec.beta2, spec.eps);

  const rmsnorm = (x: TfCore.Tensor2D, w: TfCore.Variable): TfCore.Tensor2D =>
    tf.mul(tf.mul(x, tf.rsqrt(tf.add(tf.mean(tf.square(x), -1, true), spec.normEps))), w);
  const c = Math.sqrt(2 / Math.PI);
  // gelu with the tanh approximation (TF.js core has no gelu op): 0.5·x·(1 + tanh(c·(x + 0.044715·x³))).
  const geluTanh = (x: TfCore.Tensor2D): TfCore.Tensor2D =>
    tf.mul(tf.mul(x, 0.5), tf.add(1, tf.tanh(tf.mul(tf.add(x, tf.mul(tf.pow(x, 3), 0.044715)), c))));
  const loss = (): TfCore.Scalar => {
    let x = tf.gather(embedding, ids) as TfCore.Tensor2D; // [tokens, D]
    for (const b of blocks) {
      const h = geluTanh(tf.matMul(rmsnorm(x, b.norm), b.w1));
      x = tf.add(x, tf.matMul(h, b.w2));
    }
    const logits = tf.add(tf.matMul(rmsnorm(x, finalNorm), headW), headB);
    return tf.losses.softmaxCrossEntropy(targets, logits);
  };
  const step = (): TfCore.Scalar => {
    const cost = optimizer.minimize(loss, true);
    if (!cost) throw new Error('optimizer.minimize returned no cost');
    return cost;
  };

  if (tokens !== data.inputs.length) throw new Error('MLP step data does not match its spec');
  const warmStart = performance.now();
  const first = step();
  const lossFirst = (await first.data())[0]!;
  first.dispose();
  const warmupMs = performance.now() - warmStart;
  onStep?.(0, warmupMs);

  const start = performance.now();
  let lossLast = lossFirst;
  for (let i = 0; i < steps; i++) {
    const cost = step();
    // Each step waits for its own loss (4 bytes), so progress can be shown and TF.js does not
    // queue every step's work at once.
    lossLast = (await cost.data())[0]!;
    cost.dispose();
    onStep?.(i + 1, performance.now() - start);
  }
  const msPerStep = (performance.now() - start) / Math.max(1, steps);

  tf.dispose([embedding, finalNorm, headW, headB, ids, targets, ...blocks.flatMap((b) => [b.norm, b.w1, b.w2])]);
  optimizer.dispose();
  return { steps, warmupMs, msPerStep, lossFirst, lossLast };
}
