// The CLI's training gate: `mad train` and `mad benchmark` run the gate's subset of the GPU check
// (checkSuite.ts GATE_KERNELS: the first check of each kernel every model trains with, on the kernel
// family this adapter trains with; the app's gate runs the same) once per adapter and build before
// training, and keep a pass on disk under the user's cache directory, so later runs start at once.
// A pass also measures the adapter's training speed (src/worker/adapterSpeed.ts) and keeps it with
// the pass: `mad benchmark --plan` estimates its wall time from it.
// A failure stops before any training with the kernel's name; --skip-gpu-check bypasses the gate.
// `mad selftest` runs every check of every kernel.

import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describeAdapterIdentity, failedKernels, gpuCheckKey, runCheckSuite, suiteChecks } from '../engine/ops/checkSuite.ts';
import { shaderSourcesHash } from '../engine/shaderSource.ts';
import { testGpu } from '../engine/testing/gpu.ts';
import { measureAdapterSpeed } from '../worker/adapterSpeed.ts';
import type { AdapterSpeed } from '../worker/gpuCheckApi.ts';

export const SKIP_GPU_CHECK_FLAG = {
  'skip-gpu-check': { kind: 'switch', help: 'train without the GPU check this adapter and build have not passed yet' },
} as const;

/** Where passes are kept: $XDG_CACHE_HOME/mad-lab/gpu-check, else ~/.cache/mad-lab/gpu-check. */
export function gpuCheckCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'mad-lab', 'gpu-check');
}

interface KeptPass {
  key: string;
  /** describeAdapterIdentity of the adapter, for the plan's wording. */
  adapter: string;
  checks: number;
  checkedAt: string;
  speed: AdapterSpeed;
}

export interface CliGateOptions {
  cacheDir?: string;
  /** Test-only: corrupts this kernel's results, as the app's ?gpucheck-fault= does. */
  fault?: string | null;
  log?: (line: string) => void;
}

/** Resolves when this adapter and build have passed the gate's checks (now or before); throws naming the failing kernels. */
export async function assertGpuChecked(options: CliGateOptions = {}): Promise<void> {
  const log = options.log ?? ((line: string) => console.log(line));
  const dir = options.cacheDir ?? gpuCheckCacheDir();
  const gpu = await testGpu();
  const { key, buildHash } = gpuCheckKey(gpu.adapterInfo);
  const file = join(dir, `${buildHash}-${describeAdapterIdentity(gpu.adapterInfo).replace(/[^A-Za-z0-9.-]+/g, '_').slice(0, 80)}.json`);
  const fault = options.fault ?? null;
  // A pass kept before the speed was measured is checked again, so the plan gets its measurement.
  const kept = keptPass(file);
  if (fault === null && kept?.key === key && kept.speed !== undefined) return;

  const checks = suiteChecks('gate');
  const start = performance.now();
  const results = await runCheckSuite(checks, { fault });
  const failed = failedKernels(results);
  if (failed.length > 0) {
    const first = results.find((r) => !r.ok)!;
    const figure = first.error ?? `largest difference ${first.maxAbsDiff.toExponential(2)}, tolerance ${first.outcomes[0]?.tolerance.atol ?? '?'}`;
    throw new Error(
      `the GPU check failed on ${describeAdapterIdentity(gpu.adapterInfo)} for the kernel${failed.length === 1 ? '' : 's'} ${failed.join(', ')} ` +
        `(${first.name}: ${figure}): results on this adapter would be wrong. Run npm run mad -- selftest for every check's figures ` +
        `and report them with the adapter; --skip-gpu-check trains anyway.`,
    );
  }
  if (fault !== null) return;
  const speed = await measureAdapterSpeed(gpu);
  log(
    `GPU check: ${results.length} kernel checks passed on this adapter and its training speed measured (${formatSpeed(speed)}) ` +
      `in ${((performance.now() - start) / 1000).toFixed(1)} s (kept in ${dir})`,
  );
  const pass: KeptPass = { key, adapter: describeAdapterIdentity(gpu.adapterInfo), checks: results.length, checkedAt: new Date().toISOString(), speed };
  try {
    mkdirSync(dir, { recursive: true });
    // Written aside and renamed, so a second process never reads half a file.
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, JSON.stringify(pass, null, 2));
    renameSync(partial, file);
  } catch (error) {
    log(`GPU check: could not keep the pass in ${dir} (${error instanceof Error ? error.message : String(error)}); it runs again next time`);
  }
}

/** "412.2 GFLOP/s + 1.3 ms per step". */
export function formatSpeed(speed: AdapterSpeed): string {
  return `${(speed.flopsPerSecond / 1e9).toFixed(1)} GFLOP/s + ${(speed.stepOverheadSeconds * 1000).toFixed(1)} ms per step`;
}

/**
 * The speed kept by the newest pass of this build, with its adapter, or null when none is kept;
 * read without acquiring a GPU, so `--plan` stays instant.
 */
export function cachedAdapterSpeed(dir: string = gpuCheckCacheDir()): { adapter: string; speed: AdapterSpeed } | null {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return null;
  }
  const prefix = `${shaderSourcesHash()}-`;
  const passes = names
    .filter((name) => name.startsWith(prefix) && name.endsWith('.json'))
    .map((name) => keptPass(join(dir, name)))
    .filter((pass): pass is KeptPass => pass?.speed !== undefined && pass.adapter !== undefined)
    .sort((a, b) => b.checkedAt.localeCompare(a.checkedAt));
  return passes[0] ? { adapter: passes[0].adapter, speed: passes[0].speed } : null;
}

function keptPass(file: string): KeptPass | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as KeptPass;
  } catch {
    return null;
  }
}
