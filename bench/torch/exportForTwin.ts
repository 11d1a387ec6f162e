// Writes what the PyTorch twin (bench/torch/gdnTwin.py) needs to train on exactly our runs:
//  - data/seed<S>/{train,test}_{ids,targets}.bin: in-context recall V 16, L 32, 8192 / 64 rows, int32
//    [rows, 31], as src/train/testing/learningRun.ts builds them for run seed S (data seed 12345 + S − 1);
//  - init/<model>_seed<S>.bin + .json: our initial parameters at program seed S ('current' init), f32,
//    by our labels (the index gives each label's shape and float offset in the .bin);
//  - with --check: check/<model>.json + .bin: our engine's (the default Node WebGPU adapter) untrained
//    test loss and macro accuracy, and the first training step's loss and every parameter's gradient
//    (batch rows of step 0 at seed 1), for the twin to compare against.
//
//   XDG_RUNTIME_DIR=/tmp npx tsx bench/torch/exportForTwin.ts --out /tmp/gdntwin [--check]
//
// Models: gdn16x2 (gated-delta-net d 16, 2 heads × 8), gdn16x4 (d 16, 4 × 4), gdn32x4 (d 32, 4 × 8),
// dn16x2 (delta-net d 16, 2 × 8, the control); each [mixer, swiglu] × 2.
// --task noisy-recall: noisy in-context recall instead (V 32 = 16 + 16 noise ids, L 32, noise
// fraction 0.4, as learningRun.ts's noisyRecall) and models dn<d>x<h> (delta-net, h heads of d/h)
// and la<d>x<h> (mh-linear-attention, h heads of d/h) for d ∈ {16, 32}, h ∈ {1, 2, 4}
// (not 32 × 1: delta-net's head state is at most 16 × 16);
// --models a,b keeps only those; --train N / --test N set the rows (default 8192 / 64) and --batch B
// the rows of --check's step 0 and test batches (default 16; the twin's --batch must match and
// --test must hold at least one batch, as learningRun.ts scores whole test batches only).

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { testGpu } from '../../src/engine/testing/gpu.ts';
import { TrainingStep } from '../../src/engine/trainingStep.ts';
import type { ArchitectureSpec } from '../../src/model/architecture.ts';
import { buildDataset } from '../../src/tasks/dataset.ts';
import { MAD_DEFAULTS, makeSetting } from '../../src/tasks/settings.ts';
import { gatherRows } from '../../src/train/batchGather.ts';
import { buildTrainingProgram } from '../../src/train/trainingProgram.ts';
import { initialParameterPool, parameterLayout } from '../../src/weights/parameterLayout.ts';

const { values: args } = parseArgs({
  options: {
    out: { type: 'string' },
    check: { type: 'boolean', default: false },
    seeds: { type: 'string', default: '5' },
    task: { type: 'string', default: 'recall' },
    models: { type: 'string' },
    train: { type: 'string', default: '8192' },
    test: { type: 'string', default: '64' },
    batch: { type: 'string', default: '16' },
  },
});
if (!args.out) throw new Error('--out DIR is required');
if (args.task !== 'recall' && args.task !== 'noisy-recall') throw new Error(`--task must be recall or noisy-recall, got ${args.task}`);
const OUT = args.out;
const SEEDS = Number(args.seeds);
const NOISY = args.task === 'noisy-recall';
// Noisy recall (learningRun.ts's noisyRecall): V 32 = 16 key/value ids + 16 noise ids, noise fraction 0.4.
const V = NOISY ? 32 : 16, L = 32, N_TRAIN = Number(args.train), N_TEST = Number(args.test), B = Number(args.batch);
if (N_TEST < B) throw new Error(`--test ${N_TEST} holds no batch of --batch ${B}`);

const models: Record<string, ArchitectureSpec> = {};
const twoBlocks = (dim: number, type: string, heads: number, headDim: number): ArchitectureSpec => {
  const mixer = { type, config: { num_heads: heads, head_dim: headDim } };
  return { version: 1, dim, layers: [mixer, { type: 'swiglu' }, mixer, { type: 'swiglu' }], init: 'current' };
};
if (NOISY) {
  // delta-net vs mh-linear-attention (expand_k = expand_v = 1, Hadamard maps) at the same width and heads.
  for (const dim of [16, 32]) {
    for (const heads of [1, 2, 4]) {
      if (dim / heads > 16) continue; // delta-net holds a head's state in one workgroup (≤ 16 × 16)
      models[`dn${dim}x${heads}`] = twoBlocks(dim, 'delta-net', heads, dim / heads);
      const la = { type: 'mh-linear-attention', config: { num_heads: heads } };
      models[`la${dim}x${heads}`] = { version: 1, dim, layers: [la, { type: 'swiglu' }, la, { type: 'swiglu' }], init: 'current' };
    }
  }
} else {
  models.gdn16x2 = twoBlocks(16, 'gated-delta-net', 2, 8);
  models.gdn16x4 = twoBlocks(16, 'gated-delta-net', 4, 4);
  models.gdn32x4 = twoBlocks(32, 'gated-delta-net', 4, 8);
  models.dn16x2 = twoBlocks(16, 'delta-net', 2, 8);
}
if (args.models) {
  const keep = args.models.split(',');
  for (const name of Object.keys(models)) if (!keep.includes(name)) delete models[name];
  if (Object.keys(models).length !== keep.length) throw new Error(`--models: unknown model in ${args.models}`);
}
const TASK = NOISY ? ('noisy-in-context-recall' as const) : ('in-context-recall' as const);
const context = { vocabSize: V, maxLength: L, task: TASK };

const dataOf = (seed: number) =>
  buildDataset(
    makeSetting(TASK, {
      vocabSize: V,
      seqLen: L,
      numTrainExamples: N_TRAIN,
      numTestExamples: N_TEST,
      ...(NOISY ? { noiseVocabSize: 16, fracNoise: 0.4 } : {}),
      seed: MAD_DEFAULTS.seed + seed - 1,
    }),
  );

const bytes = (a: Int32Array | Float32Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

for (let seed = 1; seed <= SEEDS; seed++) {
  const data = dataOf(seed);
  const dir = join(OUT, 'data', `seed${seed}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'train_ids.bin'), bytes(data.train.inputs));
  writeFileSync(join(dir, 'train_targets.bin'), bytes(data.train.targets));
  writeFileSync(join(dir, 'test_ids.bin'), bytes(data.test.inputs));
  writeFileSync(join(dir, 'test_targets.bin'), bytes(data.test.targets));
  writeFileSync(join(dir, 'shape.json'), JSON.stringify({ vocab: V, train: [data.train.count, data.train.inputLength], test: [data.test.count, data.test.inputLength] }));
}

mkdirSync(join(OUT, 'init'), { recursive: true });
for (const [name, architecture] of Object.entries(models)) {
  const layout = parameterLayout(architecture, context);
  const index = layout.slots.map((s) => ({ label: s.label, shape: s.shape, offset: s.offset, size: s.size }));
  writeFileSync(join(OUT, 'init', `${name}.json`), JSON.stringify({ architecture, params: index }, null, 1));
  for (let seed = 1; seed <= SEEDS; seed++) writeFileSync(join(OUT, 'init', `${name}_seed${seed}.bin`), bytes(initialParameterPool(architecture, context, seed)));
}
console.log(`wrote data for seeds 1–${SEEDS} and initial weights of ${Object.keys(models).join(', ')} to ${OUT}`);

if (args.check) {
  mkdirSync(join(OUT, 'check'), { recursive: true });
  const data = dataOf(1);
  const gpu = await testGpu();
  for (const [name, architecture] of Object.entries(models)) {
    const program = buildTrainingProgram({ architecture, target: gpu.target, vocabSize: V, maxLength: L, task: TASK, batchSize: B, seqLen: data.train.inputLength, weightDecay: 0, seed: 1 });
    const step = await TrainingStep.compile(gpu, program);
    const pool = await step.readParameters();
    const expected = initialParameterPool(architecture, context, 1);
    const poolDiff = pool.reduce((m, v, i) => Math.max(m, Math.abs(v - expected[i]!)), 0);
    let last: ReturnType<TrainingStep['evaluate']> = null;
    for (let s = 0; s + B <= N_TEST; s += B) last = step.evaluate(gatherRows(data.test, Array.from({ length: B }, (_, b) => s + b)), { readMetrics: s + 2 * B > N_TEST }) ?? last;
    const untrained = await last!;
    // Step 0's rows at seed 1 (learningRun's stride order).
    const rows = Array.from({ length: B }, (_, b) => ((b % N_TRAIN) * 37) % N_TRAIN);
    const metrics = await step.train(gatherRows(data.train, rows), 1e-2, { readMetrics: true })!;
    const grads = await step.compiled.readPool('paramGrad');
    writeFileSync(join(OUT, 'check', `${name}_grads.bin`), bytes(grads));
    writeFileSync(
      join(OUT, 'check', `${name}.json`),
      JSON.stringify({ target: gpu.target, adapter: gpu.adapterInfo.description || gpu.adapterInfo.architecture || gpu.adapterInfo.vendor, poolVsInitialParameterPool: poolDiff, untrained: { loss: untrained.loss, macro: untrained.macroAccuracy }, step0: { rows, loss: metrics.loss, gradNorm: metrics.gradNorm } }, null, 1),
    );
    console.log(`${name}: engine pool vs initialParameterPool max |Δ| ${poolDiff}; untrained test loss ${untrained.loss} macro ${untrained.macroAccuracy}; step-0 loss ${metrics.loss}`);
    step.destroy();
  }
}
process.exit(0);
