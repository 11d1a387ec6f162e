// The GPU check worker's API (gpuCheck.worker.ts): the adapter it checks and where its result is
// kept, then every kernel check of the chosen mode with progress, and a short benchmark. Plain,
// structured-cloneable data only.

import type { KernelTarget } from '../config/kernelTarget.ts';
import type { CheckResult, CheckSuiteMode } from '../engine/ops/checkSuite.ts';

export type { CheckResult, CheckSuiteMode };

/** The adapter the worker's device runs on, and the key its results are kept under. */
export interface GpuCheckIdentity {
  /** vendor / architecture / device / description. */
  adapter: string;
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean;
  subgroupMinSize: number | null;
  subgroupMaxSize: number | null;
  /** The device's limits (the ones MAD Lab raises or needs) and enabled features. */
  limits: Record<string, number>;
  features: string[];
  /** The kernel family this adapter trains with. */
  target: KernelTarget;
  /** Hash of every shader's source: the build part of the key. */
  buildHash: string;
  key: string;
}

export interface GpuCheckRequest {
  /** 'gate': the training gates' subset (GATE_KERNELS); 'quick': each kernel's first check; 'full': every check of selftest. */
  mode: CheckSuiteMode;
  /** Also check the kernel family this adapter does not train with. */
  bothTargets: boolean;
  /** Also run the checks at MAD's shape (checkSuite.ts MAD_SHAPE_CHECKS); absent: not asked (the training gate). */
  madShapes?: boolean;
  /** 'none' skips the benchmark; 'small' times a small shape (e2e); 'mad' times MAD's shape. */
  benchmark: 'none' | 'small' | 'mad';
  /** Test-only: this kernel's results are corrupted, so its check fails (`?gpucheck-fault=`). */
  fault: string | null;
  /** Also time the adapter's training speed once every check passed (the page; the gate times it apart, after its verdict). */
  measureSpeed: boolean;
}

/** One kernel's figure (gpuBenchmarkKernels.ts). */
export interface GpuBenchmarkResult {
  name: string;
  /** e.g. '4096×512×128 (M×N×K)', 'B 32 × T 128, 16 heads of 8, causal'. */
  shape: string;
  /** Per run, from the count stated in gpuBenchmarkKernels.ts. */
  flops: number;
  gflops: number;
  msPerRun: number;
  runs: number;
  /** How it was timed. */
  timing: 'wall clock';
}

/** One architecture's whole training step (gpuBenchmarkSteps.ts). */
export interface GpuStepBenchmarkResult {
  /** Model id, e.g. 'mA-Sg-mA-Sg'. */
  architecture: string;
  /** The preset's name. */
  name: string;
  /** e.g. 'B 128 × T 128, d 128, V 16'. */
  shape: string;
  parameters: number;
  /** src/model/estimates.ts stepFlops. */
  flopsPerStep: number;
  msPerStep: number;
  tokensPerSecond: number;
  gflops: number;
  steps: number;
  timing: 'wall clock';
}

/** How fast this adapter trains (adapterSpeed.ts): a step takes stepOverheadSeconds + its FLOPs / flopsPerSecond. */
export interface AdapterSpeed {
  flopsPerSecond: number;
  stepOverheadSeconds: number;
  /** The model, setting and batches timed. */
  reference: string;
  /** ISO time of the measurement. */
  measuredAt: string;
}

export interface GpuCheckReport {
  identity: GpuCheckIdentity;
  request: GpuCheckRequest;
  results: CheckResult[];
  benchmarks: GpuBenchmarkResult[];
  /** Absent in reports kept before the step benchmark existed (a kept report lives as long as its shaders). */
  stepBenchmarks?: GpuStepBenchmarkResult[];
  /**
   * Measured after the checks passed; null when a check failed (an adapter that computes wrongly is
   * not timed), when the request did not ask for it, or until the gate's measurement after its verdict
   * is kept. Absent in reports kept before the speed existed.
   */
  speed?: AdapterSpeed | null;
  /** Kernels with a failing check, each once. */
  failedKernels: string[];
  seconds: number;
  /** ISO time the check finished. */
  finishedAt: string;
}

/** After each check, then before each benchmark. */
export type GpuCheckProgress =
  | { phase: 'checks'; done: number; total: number; last: CheckResult }
  | { phase: 'benchmark'; done: number; total: number; /** The benchmark starting now. */ next: string };

export interface GpuCheckWorkerApi {
  identify(): Promise<GpuCheckIdentity>;
  /** Runs the checks (and the benchmark), calling onProgress after each check and before each benchmark. */
  run(request: GpuCheckRequest, onProgress: (progress: GpuCheckProgress) => void): Promise<GpuCheckReport>;
  /** Times the adapter's training speed (adapterSpeed.ts); call it only after the checks passed. */
  measureSpeed(): Promise<AdapterSpeed>;
}
