// An independent twin of our LanguageModel in TensorFlow.js (CPU backend), to tell an engine bug
// from the model's own slow learning of in-context recall (docs/protocol.md §1.1, V = 16, L = 32, 8192
// training examples). The twin is written from docs/protocol.md (§5.1 backbone, §4.1 swiglu, §4.2
// attention), not from our kernels: embedding → (x ← x + layer(RMSNorm(x))) per layer → final
// RMSNorm → head with bias; mh-attention = qkv Linear laid out [3][heads][head_dim], GPT-NeoX
// rotary (rotate-half, base 10000) on q and k, causal softmax(q kᵀ/√head_dim) v, out_proj;
// swiglu = w3 (SiLU(w1 x) ⊙ w2 x). AdamW is written out in tf ops with PyTorch's formulas.
//
// 1. Check (default; --no-check skips it): compile our TrainingStep for the same architecture,
//    copy its initial parameters into the twin, and on the same batches compare the loss, every
//    parameter's gradient (our paramGrad pool) and the parameters after each AdamW step, for
//    CHECK_STEPS steps; then the test macro/micro accuracy of both.
// 2. Train the twin --steps steps from our initial parameters, with the batch order and the
//    cosine-to-0.1× schedule of src/train/layersLearn.test.ts, and print test macro/micro accuracy,
//    train loss and ms/step every --eval-every steps. With --engine, our engine trains in lockstep
//    on the same batches (SwiftShader: slow) and both curves are printed side by side.
//
//   npx tsx bench/tfjsTwin/icrTwin.ts --steps 600 --eval-every 50 [--engine] [--lr 5e-3]
//     [--batch 16] [--dim 32] [--heads 2] [--beta2 0.999] [--warmup 0] [--no-check]
//
// TF.js is a devDependency used here as a baseline only; nothing under src/ imports it.

import type * as TfCore from '@tensorflow/tfjs-core';
import { parseArgs } from 'node:util';
import type { InitialData } from '../../src/engine/graph.ts';
import { IGNORE_INDEX } from '../../src/engine/ops/crossEntropy/crossEntropy.ts';
import { macroAccuracy, microAccuracy } from '../../src/engine/ops/crossEntropy/metrics.ts';
import { NORM_EPS } from '../../src/engine/ops/rmsnorm/rmsnorm.ts';
import { testGpu } from '../../src/engine/testing/gpu.ts';
import { TrainingStep } from '../../src/engine/trainingStep.ts';
import { ROTARY_BASE } from '../../src/layers/attention/attention.ts';
import type { ArchitectureSpec } from '../../src/model/architecture.ts';
import { buildDataset, type SplitData } from '../../src/tasks/dataset.ts';
import { makeSetting } from '../../src/tasks/settings.ts';
import { buildTrainingProgram, type ModelTraining } from '../../src/train/trainingProgram.ts';
import { gatherRows } from '../../src/train/batchGather.ts';
import { registerTfjsGradients } from '../tfjsBaseline.ts';

type Tf = typeof TfCore;
type Params = Map<string, TfCore.Variable>;

const VOCAB = 16;
const SEQ_LEN = 32;
const NUM_TRAIN = 8192;
const NUM_TEST = 128;
const BETA1 = 0.9;
const ADAM_EPS = 1e-8;
/** Steps of the lockstep check: enough for the moments to matter, few enough for SwiftShader. */
const CHECK_STEPS = 10;

const { values: args } = parseArgs({
  options: {
    steps: { type: 'string', default: '600' },
    'eval-every': { type: 'string', default: '50' },
    lr: { type: 'string', default: '5e-3' },
    batch: { type: 'string', default: '16' },
    dim: { type: 'string', default: '32' },
    heads: { type: 'string', default: '2' },
    beta2: { type: 'string', default: '0.999' },
    warmup: { type: 'string', default: '0' },
    'no-check': { type: 'boolean', default: false },
    engine: { type: 'boolean', default: false },
  },
});
const numberArg = (name: keyof typeof args): number => {
  const v = Number(args[name]);
  if (!Number.isFinite(v)) throw new Error(`--${name} must be a number, got ${String(args[name])}`);
  return v;
};
const STEPS = numberArg('steps');
const EVAL_EVERY = numberArg('eval-every');
const LR = numberArg('lr');
const BATCH = numberArg('batch');
const DIM = numberArg('dim');
const HEADS = numberArg('heads');
const BETA2 = numberArg('beta2');
const WARMUP = numberArg('warmup');

const LAYERS = ['mh-attention', 'swiglu', 'mh-attention', 'swiglu'] as const;

// ---- data, batches, schedule (as src/train/layersLearn.test.ts) ----


/** The fixed stride order of layersLearn.test.ts (a new offset each pass). */
function batchRows(k: number): number[] {
  const pass = Math.floor((k * BATCH) / NUM_TRAIN);
  return Array.from({ length: BATCH }, (_, b) => (((k * BATCH + b) % NUM_TRAIN) * 37 + pass * 11) % NUM_TRAIN);
}

/** Cosine from lr to 0.1·lr over the run, after an optional linear warm-up. */
function lrAt(k: number): number {
  return LR * Math.min(1, (k + 1) / Math.max(1, WARMUP)) * (0.1 + 0.9 * 0.5 * (1 + Math.cos((Math.PI * k) / STEPS)));
}

// ---- the twin model ----

function linear(tf: Tf, x: TfCore.Tensor, w: TfCore.Tensor, b?: TfCore.Tensor): TfCore.Tensor {
  // w is [out, in] (PyTorch's layout, as our pool holds it): y = x wᵀ + b.
  const shape = x.shape;
  const y = tf.matMul(tf.reshape(x, [-1, shape[shape.length - 1]!]), w, false, true);
  return tf.reshape(b ? tf.add(y, b) : y, [...shape.slice(0, -1), w.shape[0]!]);
}

function rmsnorm(tf: Tf, x: TfCore.Tensor, w: TfCore.Tensor): TfCore.Tensor {
  return tf.mul(tf.mul(x, tf.rsqrt(tf.add(tf.mean(tf.square(x), -1, true), NORM_EPS))), w);
}

/** cos and sin of position t × base^(−2j/headDim), [T, headDim/2], computed in f64. */
function rotaryTables(tf: Tf, time: number, headDim: number): { cos: TfCore.Tensor2D; sin: TfCore.Tensor2D } {
  const half = headDim / 2;
  const cos = new Float32Array(time * half);
  const sin = new Float32Array(time * half);
  for (let t = 0; t < time; t++) {
    for (let j = 0; j < half; j++) {
      const theta = t * Math.pow(ROTARY_BASE, (-2 * j) / headDim);
      cos[t * half + j] = Math.cos(theta);
      sin[t * half + j] = Math.sin(theta);
    }
  }
  return { cos: tf.tensor2d(cos, [time, half]), sin: tf.tensor2d(sin, [time, half]) };
}

/** GPT-NeoX rotate-half on x [B, H, T, hd]: (a, b) → (a cos − b sin, b cos + a sin). */
function rotary(tf: Tf, x: TfCore.Tensor, cos: TfCore.Tensor, sin: TfCore.Tensor): TfCore.Tensor {
  const [a, b] = tf.split(x, 2, -1) as [TfCore.Tensor, TfCore.Tensor];
  return tf.concat([tf.sub(tf.mul(a, cos), tf.mul(b, sin)), tf.add(tf.mul(b, cos), tf.mul(a, sin))], -1);
}

interface Constants {
  cos: TfCore.Tensor2D;
  sin: TfCore.Tensor2D;
  /** [T, T]: 0 on and below the diagonal, −1e9 above (exp underflows to exactly 0 in f32). */
  causalMask: TfCore.Tensor2D;
}

function makeConstants(tf: Tf, time: number): Constants {
  const mask = new Float32Array(time * time);
  for (let i = 0; i < time; i++) for (let j = i + 1; j < time; j++) mask[i * time + j] = -1e9;
  return { ...rotaryTables(tf, time, DIM / HEADS), causalMask: tf.tensor2d(mask, [time, time]) };
}

function attention(tf: Tf, p: Params, name: string, x: TfCore.Tensor, c: Constants): TfCore.Tensor {
  const [B, T, d] = x.shape as [number, number, number];
  const hd = d / HEADS;
  const qkv = linear(tf, x, param(p, `${name}.Wqkv.weight`), param(p, `${name}.Wqkv.bias`));
  // [B, T, 3, H, hd] → [3, B, H, T, hd]
  const [q, k, v] = tf.unstack(tf.transpose(tf.reshape(qkv, [B, T, 3, HEADS, hd]), [2, 0, 3, 1, 4])) as [TfCore.Tensor, TfCore.Tensor, TfCore.Tensor];
  const scores = tf.add(tf.mul(tf.matMul(rotary(tf, q, c.cos, c.sin), rotary(tf, k, c.cos, c.sin), false, true), 1 / Math.sqrt(hd)), c.causalMask);
  const o = tf.matMul(tf.softmax(scores), v); // [B, H, T, hd]
  const merged = tf.reshape(tf.transpose(o, [0, 2, 1, 3]), [B, T, d]);
  return linear(tf, merged, param(p, `${name}.out_proj.weight`), param(p, `${name}.out_proj.bias`));
}

function swiglu(tf: Tf, p: Params, name: string, x: TfCore.Tensor): TfCore.Tensor {
  const gate = linear(tf, x, param(p, `${name}.w1.weight`));
  const up = linear(tf, x, param(p, `${name}.w2.weight`));
  return linear(tf, tf.mul(tf.mul(gate, tf.sigmoid(gate)), up), param(p, `${name}.w3.weight`));
}

function logitsOf(tf: Tf, p: Params, ids: TfCore.Tensor2D, c: Constants): TfCore.Tensor {
  let x: TfCore.Tensor = tf.gather(param(p, 'embedding.weight'), ids);
  LAYERS.forEach((layer, i) => {
    const h = rmsnorm(tf, x, param(p, `layers.${i}.norm.weight`));
    const name = `layers.${i}.${layer}`;
    x = tf.add(x, layer === 'swiglu' ? swiglu(tf, p, name, h) : attention(tf, p, name, h, c));
  });
  return linear(tf, rmsnorm(tf, x, param(p, 'final_norm.weight')), param(p, 'head.weight'), param(p, 'head.bias'));
}

/** Mean cross-entropy over every target (training targets have no ignores). */
function lossOf(tf: Tf, p: Params, ids: TfCore.Tensor2D, targets: TfCore.Tensor2D, c: Constants): TfCore.Scalar {
  const logits = tf.reshape(logitsOf(tf, p, ids, c), [-1, VOCAB]);
  const picked = tf.sum(tf.mul(tf.logSoftmax(logits), tf.oneHot(tf.reshape(targets, [-1]), VOCAB)), -1);
  return tf.neg(tf.mean(picked)) as TfCore.Scalar;
}

function param(p: Params, label: string): TfCore.Variable {
  const v = p.get(label);
  if (!v) throw new Error(`the twin has no parameter '${label}': our model's labels changed, update bench/tfjsTwin/icrTwin.ts`);
  return v;
}

// ---- AdamW (torch.optim.AdamW's formulas, f32 tensors) ----

class TwinAdamW {
  private readonly m = new Map<string, TfCore.Variable>();
  private readonly v = new Map<string, TfCore.Variable>();
  private t = 0;

  constructor(
    private readonly tf: Tf,
    private readonly params: Params,
    private readonly beta2: number,
    private readonly weightDecay = 0,
  ) {
    for (const [label, p] of params) {
      this.m.set(label, tf.variable(tf.zerosLike(p), false));
      this.v.set(label, tf.variable(tf.zerosLike(p), false));
    }
  }

  /** One step at lr; grads keyed by label. */
  step(lr: number, grads: Map<string, TfCore.Tensor>): void {
    const { tf } = this;
    this.t += 1;
    const stepSize = lr / (1 - BETA1 ** this.t);
    const bc2Sqrt = Math.sqrt(1 - this.beta2 ** this.t);
    tf.tidy(() => {
      for (const [label, p] of this.params) {
        const g = grads.get(label)!;
        const m = this.m.get(label)!;
        const v = this.v.get(label)!;
        m.assign(tf.add(tf.mul(m, BETA1), tf.mul(g, 1 - BETA1)));
        v.assign(tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2)));
        const denom = tf.add(tf.div(tf.sqrt(v), bc2Sqrt), ADAM_EPS);
        p.assign(tf.sub(tf.mul(p, 1 - lr * this.weightDecay), tf.mul(tf.div(m, denom), stepSize)));
      }
    });
  }
}

class Twin {
  readonly params: Params = new Map();
  private readonly optimizer: TwinAdamW;
  private readonly constants: Constants;

  constructor(
    private readonly tf: Tf,
    initial: Map<string, { shape: readonly number[]; values: Float32Array }>,
    time: number,
  ) {
    for (const [label, { shape, values }] of initial) this.params.set(label, tf.variable(tf.tensor(values, [...shape], 'float32'), true));
    this.optimizer = new TwinAdamW(tf, this.params, BETA2);
    this.constants = makeConstants(tf, time);
  }

  /** Loss and gradients of one batch, without updating. */
  gradients(ids: Int32Array, targets: Int32Array): { loss: number; grads: Map<string, TfCore.Tensor> } {
    const { tf } = this;
    const T = this.constants.cos.shape[0];
    const idT = tf.tensor2d(ids, [ids.length / T, T], 'int32');
    const tgT = tf.tensor2d(targets, [targets.length / T, T], 'int32');
    const labels = [...this.params.keys()];
    const vars = labels.map((l) => this.params.get(l)!);
    const { value, grads } = tf.variableGrads(() => lossOf(tf, this.params, idT, tgT, this.constants), vars);
    const loss = value.dataSync()[0]!;
    tf.dispose([value, idT, tgT]);
    return { loss, grads: new Map(labels.map((l, i) => [l, grads[vars[i]!.name]!])) };
  }

  /** One AdamW step with these gradients (disposed here). */
  applyGradients(lr: number, grads: Map<string, TfCore.Tensor>): void {
    this.optimizer.step(lr, grads);
    this.tf.dispose([...grads.values()]);
  }

  train(ids: Int32Array, targets: Int32Array, lr: number): number {
    const { loss, grads } = this.gradients(ids, targets);
    this.applyGradients(lr, grads);
    return loss;
  }

  /** MAD's metrics on a split, batch by batch (macro per batch, then the mean over batches). */
  evaluate(split: SplitData, batch: number): { loss: number; macro: number; micro: number } {
    const { tf } = this;
    const T = split.inputLength;
    let loss = 0, macro = 0, micro = 0, batches = 0;
    for (let s = 0; s + batch <= split.count; s += batch) {
      const [ids, targets] = gatherRows(split, Array.from({ length: batch }, (_, b) => s + b));
      const logits = tf.tidy(() => tf.reshape(logitsOf(tf, this.params, tf.tensor2d(ids, [batch, T], 'int32'), this.constants), [-1, VOCAB]));
      const logp = tf.tidy(() => tf.logSoftmax(logits));
      const lp = logp.dataSync();
      const predicted = tf.tidy(() => tf.argMax(logits, -1)).dataSync();
      tf.dispose([logits, logp]);
      const perClass = new Float64Array(3 * VOCAB);
      const totals = [0, 0];
      let nll = 0;
      targets.forEach((t, i) => {
        if (t === IGNORE_INDEX) return;
        const pred = predicted[i]!;
        nll -= lp[i * VOCAB + t]!;
        totals[0]! += 1;
        perClass[VOCAB + t]! += 1;
        perClass[2 * VOCAB + pred]! += 1;
        if (pred === t) {
          totals[1]! += 1;
          perClass[t]! += 1;
        }
      });
      loss += nll / Math.max(1, totals[0]!);
      macro += macroAccuracy(perClass);
      micro += microAccuracy(totals);
      batches += 1;
    }
    return { loss: loss / batches, macro: macro / batches, micro: micro / batches };
  }

  dispose(): void {
    this.tf.dispose([...this.params.values(), this.constants.cos, this.constants.sin, this.constants.causalMask]);
  }
}

// ---- our engine's side ----

interface Ours {
  program: ModelTraining;
  step: TrainingStep;
  testBatches: InitialData[][];
}

/** Our parameters by label, from a whole param (or paramGrad) pool. */
function splitPool(program: ModelTraining, pool: Float32Array): Map<string, { shape: readonly number[]; values: Float32Array }> {
  return new Map(program.graph.params.map((t) => [t.label, { shape: t.shape, values: pool.slice(t.offset / 4, t.offset / 4 + t.size) }]));
}

async function ourEvaluate(ours: Ours): Promise<{ loss: number; macro: number; micro: number }> {
  let last: ReturnType<TrainingStep['evaluate']> = null;
  ours.testBatches.forEach((bt, i) => {
    last = ours.step.evaluate(bt, { readMetrics: i === ours.testBatches.length - 1 }) ?? last;
  });
  const m = await last!;
  return { loss: m.loss, macro: m.macroAccuracy, micro: m.microAccuracy };
}

/** Largest |a − b| over all parameters, and where; plus the largest |b| for scale. */
function maxDifference(ours: Map<string, { values: Float32Array }>, twin: Map<string, Float32Array>): { diff: number; where: string; scale: number } {
  let diff = 0, where = '', scale = 0;
  for (const [label, { values }] of ours) {
    const t = twin.get(label)!;
    values.forEach((a, i) => {
      const d = Math.abs(a - t[i]!);
      scale = Math.max(scale, Math.abs(a));
      if (d > diff) {
        diff = d;
        where = `${label}[${i}]`;
      }
    });
  }
  return { diff, where, scale };
}

function twinValues(params: Map<string, TfCore.Tensor>): Map<string, Float32Array> {
  return new Map([...params].map(([l, t]) => [l, t.dataSync() as Float32Array]));
}

async function check(tf: Tf, ours: Ours, data: { train: SplitData; test: SplitData }): Promise<void> {
  const initial = splitPool(ours.program, await ours.step.readParameters());
  const twin = new Twin(tf, initial, data.train.inputLength);
  console.log(`check: ${CHECK_STEPS} lockstep steps on the same batches (loss, every gradient, every parameter after AdamW)`);
  for (let k = 0; k < CHECK_STEPS; k++) {
    const [ids, targets] = gatherRows(data.train, batchRows(k));
    const lr = lrAt(k);
    const oursMetrics = ours.step.train([ids, targets], lr, { readMetrics: true })!;
    const { loss, grads } = twin.gradients(ids, targets);
    const oursLoss = (await oursMetrics).loss;
    const ourGrads = splitPool(ours.program, await ours.step.compiled.readPool('paramGrad'));
    const g = maxDifference(ourGrads, twinValues(grads));
    twin.applyGradients(lr, grads);
    // Adam's first step moves each weight by lr·g/(|g| + eps): where |g| is near eps (1e−8), a
    // 1e−10 gradient difference shows as ~1e−5 here, and stays (later steps are lr-sized again).
    const p = maxDifference(splitPool(ours.program, await ours.step.readParameters()), twinValues(twin.params));
    console.log(
      `  step ${k + 1}: loss ours ${oursLoss.toFixed(6)} twin ${loss.toFixed(6)} |Δ| ${Math.abs(oursLoss - loss).toExponential(2)}; ` +
        `max |Δgrad| ${g.diff.toExponential(2)} at ${g.where} (max |grad| ${g.scale.toExponential(2)}); ` +
        `max |Δparam| after AdamW ${p.diff.toExponential(2)} at ${p.where}`,
    );
  }
  const a = await ourEvaluate(ours);
  const b = twin.evaluate(data.test, BATCH);
  console.log(
    `  test after ${CHECK_STEPS} steps: ours loss ${a.loss.toFixed(5)} macro ${a.macro.toFixed(4)} micro ${a.micro.toFixed(4)}; ` +
      `twin loss ${b.loss.toFixed(5)} macro ${b.macro.toFixed(4)} micro ${b.micro.toFixed(4)}`,
  );
  twin.dispose();
}

// ---- main ----

const tf: Tf = await import('@tensorflow/tfjs-core');
await registerTfjsGradients();
await import('@tensorflow/tfjs-backend-cpu');
if (!(await tf.setBackend('cpu'))) throw new Error('TF.js could not start its cpu backend');

const data = buildDataset(makeSetting('in-context-recall', { vocabSize: VOCAB, seqLen: SEQ_LEN, numTrainExamples: NUM_TRAIN, numTestExamples: NUM_TEST }));
const attentionLayer = { type: 'mh-attention', config: { n_heads: HEADS, rotary_emb_dim: DIM / HEADS } };
const architecture: ArchitectureSpec = {
  version: 1,
  dim: DIM,
  layers: LAYERS.map((type) => (type === 'swiglu' ? { type } : attentionLayer)),
  init: 'current',
};
const newOurs = async (): Promise<Ours> => {
  const gpu = await testGpu();
  const program = buildTrainingProgram({
    architecture,
    target: gpu.target,
    vocabSize: VOCAB,
    maxLength: SEQ_LEN,
    task: 'in-context-recall',
    batchSize: BATCH,
    seqLen: data.train.inputLength,
    weightDecay: 0,
    seed: 1,
  });
  const step = await TrainingStep.compile(gpu, program);
  const testBatches: InitialData[][] = [];
  for (let s = 0; s + BATCH <= data.test.count; s += BATCH) testBatches.push(gatherRows(data.test, Array.from({ length: BATCH }, (_, b) => s + b)));
  return { program, step, testBatches };
};

console.log(
  `ICR V ${VOCAB} L ${SEQ_LEN}, ${NUM_TRAIN} train / ${NUM_TEST} test; [mh-attention, swiglu] × 2, d ${DIM}, ${HEADS} heads; ` +
    `batch ${BATCH}, lr ${LR} cosine to 0.1× over ${STEPS} steps, warm-up ${WARMUP}, AdamW (0.9, ${BETA2}), eps 1e-8, wd 0; TF.js ${tf.version_core} on ${tf.getBackend()}`,
);

if (!args['no-check']) {
  const ours = await newOurs();
  await check(tf, ours, data);
  ours.step.destroy();
}

// Both sides start from our initial parameters (the init of buildTrainingProgram, seed 1).
const ours = args.engine ? await newOurs() : null;
const program =
  ours?.program ??
  // Only its initial parameters are read: they are the same for either target.
  buildTrainingProgram({ architecture, target: 'cpu', vocabSize: VOCAB, maxLength: SEQ_LEN, task: 'in-context-recall', batchSize: BATCH, seqLen: data.train.inputLength, weightDecay: 0, seed: 1 });
const initial = new Map(program.graph.params.map((t) => [t.label, { shape: t.shape, values: program.graph.initialData.get(t) as Float32Array }]));
const twin = new Twin(tf, initial, data.train.inputLength);

const row = async (k: number, twinLoss: number, ourLoss: number, twinMs: number, ourMs: number): Promise<void> => {
  const t = twin.evaluate(data.test, BATCH);
  const fixed = (v: number): string => (k === 0 ? '  –  ' : v.toFixed(3));
  let line = `step ${String(k).padStart(5)}  twin: train loss ${fixed(twinLoss)} test macro ${t.macro.toFixed(3)} micro ${t.micro.toFixed(3)} (${twinMs.toFixed(0)} ms/step)`;
  if (ours) {
    const o = await ourEvaluate(ours);
    line += `  |  ours: train loss ${fixed(ourLoss)} test macro ${o.macro.toFixed(3)} micro ${o.micro.toFixed(3)} (${ourMs.toFixed(0)} ms/step)`;
  }
  console.log(line);
};

await row(0, Number.NaN, Number.NaN, 0, 0);
let twinLossSum = 0, ourLossSum = 0, twinMs = 0, ourMs = 0, since = 0;
for (let k = 0; k < STEPS; k++) {
  const [ids, targets] = gatherRows(data.train, batchRows(k));
  const lr = lrAt(k);
  const report = (k + 1) % EVAL_EVERY === 0 || k === STEPS - 1;
  let start = performance.now();
  twinLossSum += twin.train(ids, targets, lr);
  twinMs += performance.now() - start;
  if (ours) {
    start = performance.now();
    // Every step reads its loss back, so the timing covers the GPU work of that step.
    ourLossSum += (await ours.step.train([ids, targets], lr, { readMetrics: true })!).loss;
    ourMs += performance.now() - start;
  }
  since += 1;
  if (report) {
    await row(k + 1, twinLossSum / since, ourLossSum / since, twinMs / (k + 1), ourMs / (k + 1));
    twinLossSum = ourLossSum = since = 0;
  }
}
twin.dispose();
ours?.step.destroy();
process.exit(0);
