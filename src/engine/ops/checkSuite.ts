// The GPU check's suite: the kernel checks of the registry grouped by kernel (an OPS or
// UPDATE_KERNELS entry), run one by one for a kernel target with a figure per check, as the app's
// GPU check page, the training gate and the CLI's gate run them. 'gate' is what the training gates
// (the app's and the CLI's) run: the first check of each kernel every model trains with
// (GATE_KERNELS), a few seconds on SwiftShader. 'quick' takes each kernel's first check, every
// kernel included; 'full' is every check selftest runs: the GPU check page offers those two.
// The registry's checks run small and odd shapes plus a few full tiles, sized for SwiftShader; any
// mode may add MAD_SHAPE_CHECKS, one check per kernel whose tiling matters at MAD's sizes
// (madShape.ts), where tiling and barrier bugs show on hundreds of full tiles.

import type { KernelTarget } from '../../config/kernelTarget.ts';
import type { AdapterSummary } from '../../gpu/device.ts';
import { shaderSourcesHash } from '../shaderSource.ts';
import { setKernelCheckTarget, testGpu } from '../testing/gpu.ts';
import { attentionMadShapeCheck } from './attention/checks.ts';
import { crossEntropyMadShapeCheck } from './crossEntropy/checks.ts';
import { fftConvMadShapeCheck } from './fftConv/checks.ts';
import { runKernelCheck, type CheckOutcome, type Comparison, type KernelCheck } from './kernelCheck.ts';
import { layernormMadShapeCheck } from './layernorm/checks.ts';
import { matmulMadShapeCheck } from './matmul/checks.ts';
import { rmsnormMadShapeCheck } from './rmsnorm/checks.ts';
import { selectiveScanMadShapeCheck } from './selectiveScan/checks.ts';
import { OPS, UPDATE_KERNELS, type OpEntry, type UpdateKernelEntry } from './registry.ts';

export type CheckSuiteMode = 'gate' | 'quick' | 'full';

type KernelName = keyof typeof OPS | keyof typeof UPDATE_KERNELS;

/**
 * The kernels the training gates check before the first run: those a plain model (attention and
 * SwiGLU blocks, either norm) dispatches in every training step, i.e. the ones every model trains
 * with: the embedding, the norms, every linear layer's matmul (its activations fused), attention,
 * the residual adds, the loss, the optimizer, the gradient norm and the metric sums. The mixers'
 * own kernels (recurrences, scans, convolutions, MoE, …) are left to the GPU check page's quick and
 * full checks: their first checks alone took ~15 s of shader compilation on SwiftShader, against
 * ~5 s for these.
 */
export const GATE_KERNELS = [
  'embedding',
  'rmsnorm',
  'layernorm',
  'matmul',
  'flashAttention',
  'binary',
  'crossEntropy',
  'adamw',
  'gradNorm',
  'metricsAccumulate',
] as const satisfies readonly KernelName[];

export interface SuiteCheck {
  /** The registry key of the kernel it checks, e.g. 'matmul', 'flashAttention', 'adamw'. */
  kernel: string;
  check: KernelCheck;
}

/** Every kernel's name, in registry order (what `?gpucheck-fault=` and `--filter` accept). */
export function kernelNames(): string[] {
  return [...Object.keys(OPS), ...Object.keys(UPDATE_KERNELS)];
}

/**
 * The checks at MAD's shape (madShape.ts), on the kernel family being checked: the kernels whose
 * workgroup tiling, row groups or cross-workgroup sums only fill at MAD's sizes. Every model's
 * matmul, norms and loss; attention, Hyena's FFT convolution and Mamba's scan, the paper's sequence
 * mixers with tiled kernels. Left out: softmax (no model dispatches it: attention fuses its own),
 * the elementwise ops (no tiles) and the other mixers' kernels (left to `mad selftest` at small shapes).
 * Their f64 references take about a second each on the CPU.
 */
export const MAD_SHAPE_CHECKS: readonly SuiteCheck[] = [
  { kernel: 'matmul', check: matmulMadShapeCheck },
  { kernel: 'flashAttention', check: attentionMadShapeCheck },
  { kernel: 'rmsnorm', check: rmsnormMadShapeCheck },
  { kernel: 'layernorm', check: layernormMadShapeCheck },
  { kernel: 'fftConv', check: fftConvMadShapeCheck },
  { kernel: 'selectiveScan', check: selectiveScanMadShapeCheck },
  { kernel: 'crossEntropy', check: crossEntropyMadShapeCheck },
] satisfies readonly (SuiteCheck & { kernel: KernelName })[];

/** The checks a mode runs, each with its kernel, then those at MAD's shape if asked. */
export function suiteChecks(mode: CheckSuiteMode, madShapes = false): SuiteCheck[] {
  const groups: [string, readonly KernelCheck[]][] = [
    ...Object.entries(OPS as Record<string, OpEntry>).map(([kernel, entry]) => [kernel, entry.checks] as [string, readonly KernelCheck[]]),
    ...Object.entries(UPDATE_KERNELS as Record<string, UpdateKernelEntry>).map(([kernel, entry]) => [kernel, entry.checks] as [string, readonly KernelCheck[]]),
  ];
  const gate: readonly string[] = GATE_KERNELS;
  return groups
    .filter(([kernel]) => mode !== 'gate' || gate.includes(kernel))
    .flatMap(([kernel, checks]) => (mode === 'full' ? checks : checks.slice(0, 1)).map((check) => ({ kernel, check })))
    .concat(madShapes ? MAD_SHAPE_CHECKS : []);
}

/** One check's result: every comparison's figure, or why it could not run. */
export interface CheckResult {
  kernel: string;
  name: string;
  target: KernelTarget;
  ok: boolean;
  outcomes: CheckOutcome[];
  /** Largest |diff| over the comparisons (Infinity when it could not run). */
  maxAbsDiff: number;
  /** The largest |diff| of the worst comparison divided by its absolute tolerance. */
  errorRatio: number;
  error: string | null;
  seconds: number;
}

/**
 * A check whose results are corrupted (every compared value moved by 1): the test-only fault
 * `?gpucheck-fault=KERNEL` plants, so the failure path is what a wrong kernel would take.
 */
export function corruptedCheck(check: KernelCheck): KernelCheck {
  return {
    ...check,
    async run(): Promise<Comparison[]> {
      const comparisons = await check.run();
      return comparisons.map((c) => ({ ...c, actual: Array.from(c.actual, (v) => v + 1) }));
    },
  };
}

export interface SuiteOptions {
  /** Kernel targets to check; the adapter's own when absent. */
  targets?: readonly KernelTarget[];
  /** A kernel whose results are corrupted (test-only fault injection). */
  fault?: string | null;
  onResult?: (result: CheckResult, done: number, total: number) => void;
}

/** Runs `checks` on the kernel-check device for each target, one after the other. */
export async function runCheckSuite(checks: readonly SuiteCheck[], options: SuiteOptions = {}): Promise<CheckResult[]> {
  const own = (await testGpu()).target;
  const targets = options.targets ?? [own];
  const total = checks.length * targets.length;
  const results: CheckResult[] = [];
  try {
    for (const target of targets) {
      setKernelCheckTarget(target === own ? null : target);
      for (const { kernel, check } of checks) {
        const result = await runOne(kernel, options.fault === kernel ? corruptedCheck(check) : check, target);
        results.push(result);
        options.onResult?.(result, results.length, total);
      }
    }
  } finally {
    setKernelCheckTarget(null);
  }
  return results;
}

async function runOne(kernel: string, check: KernelCheck, target: KernelTarget): Promise<CheckResult> {
  const start = performance.now();
  try {
    const outcomes = await runKernelCheck(check);
    const maxAbsDiff = Math.max(0, ...outcomes.map((o) => o.maxAbsDiff));
    const errorRatio = Math.max(0, ...outcomes.map((o) => o.maxAbsDiff / Math.max(o.tolerance.atol, Number.MIN_VALUE)));
    const ok = outcomes.length > 0 && outcomes.every((o) => o.ok);
    return { kernel, name: check.name, target, ok, outcomes, maxAbsDiff, errorRatio, error: null, seconds: (performance.now() - start) / 1000 };
  } catch (err) {
    const error = (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
    return { kernel, name: check.name, target, ok: false, outcomes: [], maxAbsDiff: Infinity, errorRatio: Infinity, error, seconds: (performance.now() - start) / 1000 };
  }
}

/** The kernels with a failed check, each once, in order. */
export function failedKernels(results: readonly CheckResult[]): string[] {
  return [...new Set(results.filter((r) => !r.ok).map((r) => r.kernel))];
}

/** The adapter as one line: vendor / architecture / device / description, the parts it has. */
export function describeAdapterIdentity(adapter: Pick<AdapterSummary, 'vendor' | 'architecture' | 'device' | 'description'>): string {
  return [adapter.vendor, adapter.architecture, adapter.device, adapter.description].filter(Boolean).join(' / ') || 'unnamed adapter';
}

/**
 * Where a check's result is kept: the adapter and the build (a hash of every shader's source), so
 * another GPU or a changed kernel is checked again. The one key the page and the CLI use.
 */
export function gpuCheckKey(adapter: Pick<AdapterSummary, 'vendor' | 'architecture' | 'device' | 'description'>): { key: string; buildHash: string } {
  const buildHash = shaderSourcesHash();
  return { key: `${describeAdapterIdentity(adapter)} | shaders ${buildHash}`, buildHash };
}
