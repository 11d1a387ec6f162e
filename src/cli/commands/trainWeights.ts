// `mad train --init-weights FILE` and `--save-weights` (docs/weights.md). A file's weights are read
// and checked against the plan's model before any data or GPU, and a run started from them is
// another run than the plan's drawn initialisation: it lives under DIR/from-weights-<hash>/, the
// hash of the weights themselves, so it never takes (or gives) the plain run's results.csv, and
// the same plan from the same weights is found and skipped as mad-lab skips a finished run. The
// run's best weights (the ones its results row was measured on) go beside its results.csv.

import { createHash } from 'node:crypto';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunPlan } from '../../train/types.ts';
import { runWeightsModel } from '../../weights/runModel.ts';
import { exportWeights, importWeights } from '../../weights/weightsFile.ts';
import type { FlagSpecs } from '../args.ts';
import { readWeightsFile } from './weights.ts';

export const RUN_WEIGHTS_FLAGS = {
  'save-weights': { kind: 'boolean', help: "write the run's best weights to DIR/<run-dir>/weights.safetensors (mad-lab's names)" },
  'init-weights': { kind: 'string', value: 'FILE', help: "start from a .safetensors file's weights; the run goes to DIR/from-weights-<hash>/<run-dir>/" },
} as const satisfies FlagSpecs;

export const RUN_WEIGHTS_FILE = 'weights.safetensors';

export interface InitialWeights {
  path: string;
  /** The model's whole param pool. */
  pool: Float32Array;
  /** 12 hex digits of the pool's SHA-256: the run's identity beside its mad-lab name. */
  hash: string;
}

/** Reads `path` as the weights of the plan's model; a file of another model is refused naming the first difference. */
export async function readInitialWeights(path: string, plan: RunPlan): Promise<InitialWeights> {
  const { pool } = importWeights(runWeightsModel(plan), await readWeightsFile(path), path);
  // The values, not the file's bytes: the same weights saved with other metadata or dtype are the same start.
  const hash = createHash('sha256').update(new Uint8Array(pool.buffer, pool.byteOffset, pool.byteLength)).digest('hex').slice(0, 12);
  return { path, pool, hash };
}

/** Where runs go: DIR itself, or DIR/from-weights-<hash>/ for runs started from a file's weights. */
export function runLogsDir(logBasePath: string, initial: InitialWeights | undefined): string {
  return initial === undefined ? logBasePath : join(logBasePath, `from-weights-${initial.hash}`);
}

/**
 * Writes the run's best weights into its directory (by rename, so a file there is whole) and
 * returns the path. The seed is recorded only for weights that grew from the plan's drawn init.
 */
export function saveRunWeights(runPath: string, plan: RunPlan, pool: Float32Array, initial: InitialWeights | undefined): string {
  const bytes = exportWeights(runWeightsModel(plan), pool, initial === undefined ? plan.training.seed : null);
  const path = join(runPath, RUN_WEIGHTS_FILE);
  const partial = `${path}.partial-${process.pid}`;
  writeFileSync(partial, bytes);
  renameSync(partial, path);
  return path;
}

/** What --save-weights says about a run already stored: its weights file, or why there is none. */
export function storedWeightsLine(runPath: string): string {
  const path = join(runPath, RUN_WEIGHTS_FILE);
  return existsSync(path)
    ? `weights: ${path}`
    : `note: ${runPath} was trained without --save-weights, so it has no ${RUN_WEIGHTS_FILE}; remove the directory to train it again and save them`;
}
