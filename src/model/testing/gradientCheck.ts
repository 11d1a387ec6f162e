// Whole-model gradient checks against finite differences of the GPU's own f32 loss (shared by
// hybridGradient.test.ts and architectureGradients*.test.ts). The model is built from an
// ArchitectureSpec exactly as training builds it (buildModel + cross-entropy + the graph's
// backward), compiled once, run forward+backward once for the reported gradients, then every
// parameter tensor t is checked with central differences of the loss along two unit directions:
//
//  1. u = ∇_t/|∇_t| (the reported gradient, normalised): the loss must change at rate |∇_t|. This
//     is the best-conditioned check (the largest slope there is) and catches any error of scale
//     or sign; an error e orthogonal to the true gradient shows up as |e|²/|∇_t| (quadratic).
//  2. u = r/|r|, r uniform in [−1, 1)ⁿ from a seed per tensor: the loss must change at rate ∇_t·u.
//     This one is linear in any error e of the reported gradient (e·u), so a wrong pattern (a
//     mis-indexed head, a missing path that leaves the norm about right) moves it too.
//
// Tolerance (both directions): the f32 loss carries rounding noise of ~1e-7 (a mean over B·T rows
// of log-sum-exps of f32 logits), so a central difference with step h has noise ~1e-7/h. The step
// is h = min(1e-2, 1e-3/|∇_t|): the loss moves by ≤ 1e-3 along either direction, keeping the
// truncation error h²/6·|∂³L/∂u³| small even for the steepest tensors. The slope expected is taken
// along the displacement actually written (x₊ − x₋ after f32 rounding), so parameter rounding
// cannot fake a mismatch. Allowed:
//   along ∇_t:  2% of |∇_t|                     + 1e-6/h (ten times the noise)
//   along r:    2% of |∇_t·u| + 0.5% of |∇_t|   + 1e-6/h
// The 0.5%·|∇_t| floor in (2) covers truncation when ∇_t·u happens to be near zero. 2% is what a
// gradient term scaled by 5% exceeds: corrupting SwiGLU's SiLU derivative by ×1.05 fails every
// SwiGLU model on w1 (measured 5.0% off); measured errors of correct gradients are ≤ 0.6% of |∇_t|
// wherever the noise term does not dominate (printed per tensor and per group).
// Tensors with |∇_t| < 1e-4 are reported and not judged (the noise ~1e-4 would dominate); tensors
// with |∇_t| ≲ 5e-3 are judged mostly against the noise term (their printed relative tolerance is
// large) and catch only gross errors (sign, a missing path, ×2).
//
// Kinks: every layer here is smooth except top-k routing (moe-mlp); only a model that declares
// `kinks` retries a miss once at a quarter of the step (a step that crosses a routing switch
// changes the loss by a jump, which shrinks with h, while a wrong gradient does not).

import { compileGraph } from '../../engine/compile.ts';
import { Graph } from '../../engine/graph.ts';
import { crossEntropy } from '../../engine/ops/crossEntropy/crossEntropy.ts';
import { testGpu } from '../../engine/testing/gpu.ts';
import { randomArray, randomInts } from '../../engine/testing/random.ts';
import type { Tensor } from '../../engine/tensor.ts';
import type { TaskName } from '../../tasks/types.ts';
import { modelId, type ArchitectureSpec } from '../architecture.ts';
import { buildModel } from '../build.ts';
import { ParamFactory } from '../../engine/params.ts';

export const MAX_STEP = 1e-2;
export const MIN_NORM = 1e-4;

export interface GradientCheckCase {
  spec: ArchitectureSpec;
  /** 'compression' builds the AutoEncoder (targets = inputs); anything else the LanguageModel. */
  task: TaskName;
  vocabSize: number;
  length: number;
  batch: number;
  /**
   * Multiplies every matrix (rank-2 parameter) before the check: the AutoEncoder's fixed
   * N(0, 0.02) init leaves the layers' gradients too flat for f32 differences; ×10 gives std 0.2,
   * about PyTorch's U(±1/√16) at width 16. Gradients are checked wherever the parameters are.
   */
  weightScale?: number;
  /** The largest step (default MAX_STEP); h = min(maxStep, 1e-3/|∇_t|). */
  maxStep?: number;
  /** Piecewise-smooth model (top-k routing): a miss is retried once at h/4. */
  kinks?: boolean;
  seed?: number;
}

export interface TensorCheck {
  label: string;
  shape: readonly number[];
  group: string;
  norm: number;
  /** |FD − expected| / |∇_t|, the worse of the two directions; NaN when not judged. */
  relError: number;
  /** tolerance / |∇_t| of the direction that set relError. */
  relTolerance: number;
  judged: boolean;
  failure?: string;
}

export interface GradientCheckResult {
  name: string;
  tensors: TensorCheck[];
  failures: string[];
  judged: number;
}

/** 'layers.<i>.<layer>' for a layer's parameters (its norm is 'layers.<i>.norm'), else the first segment. */
export function tensorGroup(label: string): string {
  const parts = label.split('.');
  return parts[0] === 'layers' ? parts.slice(0, 3).join('.') : parts[0]!;
}

/** The check's name: the model id and the task. */
export function caseName(c: GradientCheckCase): string {
  return `${modelId(c.spec)} (${c.task === 'compression' ? 'AutoEncoder' : 'LanguageModel'}, ${c.task}, d ${c.spec.dim})`;
}

/** Builds, compiles and checks one model; prints a line per tensor and a summary per group. */
export async function checkModelGradients(c: GradientCheckCase): Promise<GradientCheckResult> {
  const { spec, task, vocabSize: V, length: T, batch: B } = c;
  const weightScale = c.weightScale ?? 1;
  const seed = c.seed ?? 21;
  const name = caseName(c);
  const gpu = await testGpu();
  const g = new Graph(gpu.target);
  const params = new ParamFactory(g, seed, spec.init);
  const ids = randomInts(B * T, V, seed + 1);
  const targets = task === 'compression' ? ids : randomInts(B * T, V, seed + 2);
  const idsT = g.input([B, T], 'i32', 'ids', ids);
  const targetsT = g.input([B, T], 'i32', 'targets', targets);
  const { logits } = buildModel(g, params, idsT, spec, { vocabSize: V, maxLength: T, task });
  const loss = crossEntropy(g, logits, targetsT);
  g.backward(loss);
  const compiled = await compileGraph(g, gpu);
  try {
    const start = new Map<Tensor, Float32Array>(
      g.params.map((p) => [p, (g.initialData.get(p) as Float32Array).map((v) => (p.rank === 2 ? v * weightScale : v))]),
    );
    for (const [p, values] of start) compiled.write(p, values);
    compiled.run(['forward', 'backward']);
    const grads = await Promise.all(g.params.map(async (p) => (await compiled.read(g.gradOf(p))) as Float32Array));
    const lossAt = async (): Promise<number> => {
      compiled.run(['forward']);
      return (await compiled.read(loss))[0]!;
    };

    const tensors: TensorCheck[] = [];
    const failures: string[] = [];
    const lines: string[] = [];
    for (const [k, p] of g.params.entries()) {
      const grad = grads[k]!;
      const norm = Math.sqrt(grad.reduce((s, v) => s + v * v, 0));
      const entry: TensorCheck = { label: p.label, shape: p.shape, group: tensorGroup(p.label), norm, relError: NaN, relTolerance: NaN, judged: false };
      tensors.push(entry);
      if (!(norm >= MIN_NORM)) {
        lines.push(`  ${p.label}: |∇| ${norm.toExponential(2)} too flat to judge in f32`);
        if (!Number.isFinite(norm)) failures.push(`${p.label}: gradient is not finite`);
        continue;
      }
      const base = start.get(p)!;
      // The measured (L₊ − L₋)/2h against ∇_t·(x₊ − x₋)/2h, x± as rounded to f32.
      const fd = async (dir: Float64Array, h: number): Promise<{ numeric: number; expected: number }> => {
        const xPlus = base.map((v, i) => v + h * dir[i]!);
        const xMinus = base.map((v, i) => v - h * dir[i]!);
        compiled.write(p, xPlus);
        const plus = await lossAt();
        compiled.write(p, xMinus);
        const minus = await lossAt();
        compiled.write(p, base);
        const expected = xPlus.reduce((s, v, i) => s + (v - xMinus[i]!) * grad[i]!, 0) / (2 * h);
        return { numeric: (plus - minus) / (2 * h), expected };
      };
      const h = Math.min(c.maxStep ?? MAX_STEP, 1e-3 / norm);
      const noise = 1e-6 / h;
      const r = randomArray(grad.length, seed * 1000 + k);
      const rNorm = Math.sqrt(r.reduce((s, v) => s + v * v, 0));
      const directions = [
        { what: '∇', dir: Float64Array.from(grad, (v) => v / norm) },
        { what: 'r', dir: r.map((v) => v / rNorm) },
      ];
      const parts: string[] = [];
      entry.judged = true;
      entry.relError = 0;
      for (const [j, { what, dir }] of directions.entries()) {
        const { numeric, expected } = await fd(dir, h);
        const tolerance = j === 0 ? 0.02 * norm + noise : 0.02 * Math.abs(expected) + 0.005 * norm + noise;
        let diff = Math.abs(numeric - expected);
        let note = '';
        if (diff > tolerance && c.kinks) {
          const retry = await fd(dir, h / 4);
          note = `, ${retry.numeric.toExponential(3)} at h/4`;
          diff = Math.min(diff, Math.abs(retry.numeric - retry.expected));
        }
        if (diff / norm >= entry.relError) {
          entry.relError = diff / norm;
          entry.relTolerance = tolerance / norm;
        }
        parts.push(`along ${what}: expected ${expected.toExponential(3)}, FD ${numeric.toExponential(3)}${note}, |diff| ${diff.toExponential(2)} (tol ${tolerance.toExponential(1)})`);
        if (!(diff <= tolerance)) {
          const f = `${p.label} along ${what}: the gradient says ${expected} but the loss changes at ${numeric}`;
          failures.push(f);
          entry.failure = f;
        }
      }
      lines.push(`  ${p.label} [${p.shape.join('×')}] |∇| ${norm.toExponential(3)}, h ${h.toExponential(1)}; ${parts.join('; ')}`);
    }
    const judged = tensors.filter((t) => t.judged).length;
    console.log(`${name}: ${judged}/${tensors.length} tensors judged\n${lines.join('\n')}\n${groupSummary(name, tensors)}`);
    return { name, tensors, failures, judged };
  } finally {
    compiled.destroy();
  }
}

/** Per tensor group: the worst relative error |FD − expected|/|∇_t| and its relative tolerance. */
export function groupSummary(name: string, tensors: readonly TensorCheck[]): string {
  const groups = new Map<string, { worst: number; tol: number; judged: number; count: number }>();
  for (const t of tensors) {
    const s = groups.get(t.group) ?? { worst: 0, tol: NaN, judged: 0, count: 0 };
    s.count++;
    if (t.judged) {
      s.judged++;
      if (t.relError >= s.worst) {
        s.worst = t.relError;
        s.tol = t.relTolerance;
      }
    }
    groups.set(t.group, s);
  }
  const judgedAll = tensors.filter((t) => t.judged);
  const worst = judgedAll.reduce((m, t) => (t.relError > m.relError ? t : m), judgedAll[0]!);
  const rows = [...groups].map(
    ([group, s]) => `  ${group.padEnd(44)} ${s.judged}/${s.count} judged, max rel. error ${s.judged ? s.worst.toExponential(2) : '—'} (tol ${s.judged ? s.tol.toExponential(1) : '—'})`,
  );
  const overall = worst ? `max rel. error ${worst.relError.toExponential(2)} (tol ${worst.relTolerance.toExponential(1)}) at ${worst.label}` : 'nothing judged';
  return `${name}: per group\n${rows.join('\n')}\n${name}: ${overall}`;
}
