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
  /** 'none' skips the benchmark; 'small' times a small shape (e2e); 'mad' times MAD's shape. */
  benchmark: 'none' | 'small' | 'mad';
  /** Test-only: this kernel's results are corrupted, so its check fails (`?gpucheck-fault=`). */
  fault: string | null;
}

export interface GpuBenchmarkResult {
  name: string;
  /** e.g. '4096×512×128'. */
  shape: string;
  gflops: number;
  msPerRun: number;
  runs: number;
  /** How it was timed. */
  timing: 'wall clock';
}

export interface GpuCheckReport {
  identity: GpuCheckIdentity;
  request: GpuCheckRequest;
  results: CheckResult[];
  benchmarks: GpuBenchmarkResult[];
  /** Kernels with a failing check, each once. */
  failedKernels: string[];
  seconds: number;
  /** ISO time the check finished. */
  finishedAt: string;
}

export interface GpuCheckProgress {
  done: number;
  total: number;
  last: CheckResult;
}

export interface GpuCheckWorkerApi {
  identify(): Promise<GpuCheckIdentity>;
  /** Runs the checks (and the benchmark), calling onProgress after each check. */
  run(request: GpuCheckRequest, onProgress: (progress: GpuCheckProgress) => void): Promise<GpuCheckReport>;
}
