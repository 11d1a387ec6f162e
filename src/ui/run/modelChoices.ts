// The models a run can train: the one in the Builder, a tiny demo model that trains in seconds
// even on a CPU adapter, and the presets (the paper's architectures and the classics).
import { loadPresets } from '../../model/presets.ts';
import { ARCHITECTURE_VERSION, modelId, type ArchitectureLayer, type ArchitectureSpec } from '../../model/architecture.ts';

export interface ModelChoice {
  id: string;
  label: string;
  architecture: ArchitectureSpec;
}

export const BUILDER_MODEL_ID = 'builder';
export const TINY_MODEL_ID = 'tiny-demo';

// Two heads of 8 at width 16, rotary over the whole head as in every MAD config.
const TINY_ATTENTION: ArchitectureLayer = { type: 'mh-attention', config: { n_heads: 2, rotary_emb_dim: 8 } };

/** mad-lab's default stack (attention, SwiGLU, twice) at width 16: for demos and browser tests. */
export const TINY_DEMO_MODEL: ArchitectureSpec = {
  version: ARCHITECTURE_VERSION,
  name: 'Tiny attention + SwiGLU (d 16)',
  dim: 16,
  layers: [TINY_ATTENTION, { type: 'swiglu' }, TINY_ATTENTION, { type: 'swiglu' }],
};

export function modelChoices(builderSpec: ArchitectureSpec): ModelChoice[] {
  const builderName = builderSpec.name ?? modelId(builderSpec);
  return [
    { id: BUILDER_MODEL_ID, label: `The Builder’s model (${builderName}, d ${builderSpec.dim})`, architecture: builderSpec },
    { id: TINY_MODEL_ID, label: TINY_DEMO_MODEL.name!, architecture: TINY_DEMO_MODEL },
    ...loadPresets().map((preset) => ({ id: `preset:${preset.id}`, label: `${preset.name} (preset, d ${preset.architecture.dim})`, architecture: preset.architecture })),
  ];
}
