// The numbers the builder shows, all from tracing the model (src/model), never written by hand:
// each palette layer alone at the current width, and the whole model with its training-step
// memory and FLOPs at MAD's batch size. A spec that cannot be counted gives its reason instead.
import { architectureFromLayers, validateArchitecture, type ArchitectureSpec } from '../../model/architecture.ts';
import { countModel, type ModelCount } from '../../model/counting.ts';
import { MAD_BATCH_SIZE, stepFlops, trainingMemory, type StepFlops, type TrainingMemory } from '../../model/estimates.ts';
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
  const spec = architectureFromLayers([type], { dim });
  const problem = validateArchitecture(spec)[0];
  // 'layers[0]: mh-attention: …' → '…': the palette entry already names the layer.
  if (problem !== undefined) return { ok: false, reason: problem.replace(/^layers\[0\]: /, '').replace(`${type}: `, '') };
  try {
    const layer = countModel(spec, { vocabSize: 1, maxLength: seqLen }).layers[0]!;
    return { ok: true, parameters: layer.parameters, stateSize: layer.stateSize };
  } catch (err) {
    // Limits of the kernels themselves (e.g. a norm's row width) surface only when the model is built.
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
}

/** The whole model's counts, and one training step's memory and FLOPs at batch 128 × seqLen. */
export function modelFigures(spec: ArchitectureSpec, counting: CountSettings): ModelFigures {
  if (spec.layers.length === 0) return { ok: false, reason: 'Add a block to the model to see its totals.' };
  const problems = validateArchitecture(spec);
  if (problems.length > 0) return { ok: false, reason: problems.join('; ') };
  const context = { vocabSize: counting.vocabSize, maxLength: counting.seqLen };
  const shape = { batchSize: MAD_BATCH_SIZE, seqLen: counting.seqLen };
  try {
    const count = countModel(spec, context);
    return { ok: true, count, memory: trainingMemory(spec, context, shape), flops: stepFlops(spec, count, shape), ...shape };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
}
