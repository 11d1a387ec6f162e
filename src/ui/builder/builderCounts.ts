// The numbers the builder shows, all from tracing the model (src/model), never written by hand:
// each palette layer alone at the current width, and the whole model with its training-step
// memory and FLOPs at MAD's batch size. A spec that cannot be counted gives its reason instead.
// Counting takes the architecture checkArchitecture resolved, so nothing validates it again.
import type { KernelTarget } from '../../config/kernelTarget.ts';
import { architectureFromLayers, checkArchitecture, problemsText, type ArchitectureCheck, type ArchitectureSpec } from '../../model/architecture.ts';
import { countModel, type ModelCount } from '../../model/counting.ts';
import { MAD_BATCH_SIZE, stepFlops, type StepFlops } from '../../model/estimates.ts';
import { trainingMemory, type TrainingMemory } from '../../train/trainingMemory.ts';
import { LAYERS } from '../../layers/registry.ts';
import type { CountSettings } from '../../state/builderStore.ts';

export type LayerFigures = { ok: true; parameters: number; stateSize: number | null } | { ok: false; reason: string };

export type ModelFigures =
  | { ok: true; count: ModelCount; memory: TrainingMemory; flops: StepFlops; batchSize: number; seqLen: number }
  | { ok: false; reason: string };

const layerFiguresCache = new Map<string, ReadonlyMap<string, LayerFigures>>();

/** Every registry layer's parameters and state with its defaults at width `dim` and length `seqLen`. */
export function paletteFigures(dim: number, seqLen: number): ReadonlyMap<string, LayerFigures> {
  const key = `${dim}/${seqLen}`;
  let figures = layerFiguresCache.get(key);
  if (!figures) {
    figures = new Map(LAYERS.map((layer) => [layer.name, layerFigures(layer.name, dim, seqLen)]));
    layerFiguresCache.set(key, figures);
  }
  return figures;
}

function layerFigures(type: string, dim: number, seqLen: number): LayerFigures {
  const check = checkArchitecture(architectureFromLayers([type], { dim }));
  // The problem's own words: the palette entry already names the layer.
  if (!check.ok) return { ok: false, reason: check.problems[0]!.message };
  try {
    const layer = countModel(check.resolved, { vocabSize: 1, maxLength: seqLen }).layers[0]!;
    return { ok: true, parameters: layer.parameters, stateSize: layer.stateSize };
  } catch (err) {
    // Limits of the kernels themselves (e.g. a norm's row width) surface only when the model is built.
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * The whole model's counts, and one training step's memory (with `target`'s kernels) and FLOPs at
 * batch 128 × seqLen. `check` is checkArchitecture(spec), as builderStore keeps it: its resolved
 * architecture is counted.
 */
export function modelFigures(spec: ArchitectureSpec, check: ArchitectureCheck, counting: CountSettings, target: KernelTarget): ModelFigures {
  if (spec.layers.length === 0) return { ok: false, reason: 'Add a block to the model to see its totals.' };
  if (!check.ok) return { ok: false, reason: problemsText(check.problems) };
  const { resolved } = check;
  const context = { vocabSize: counting.vocabSize, maxLength: counting.seqLen };
  const shape = { batchSize: MAD_BATCH_SIZE, seqLen: counting.seqLen };
  try {
    const count = countModel(resolved, context);
    return { ok: true, count, memory: trainingMemory(resolved, context, shape, target), flops: stepFlops(resolved, count, shape), ...shape };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
}
