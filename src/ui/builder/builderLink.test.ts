import { describe, expect, it } from 'vitest';
import { architectureFromLayers } from '../../model/architecture.ts';
import { settingsForTask } from '../../config/taskGridFiles.ts';
import { INITIAL_LAUNCHER_CHOICE, sizesOf } from '../../state/launcherChoice.ts';
import { launcherChoiceOfShareRun } from '../../state/launcherShareRun.ts';
import { decodeShareLink } from '../../share/urlCodec.ts';
import { experimentLink } from './builderLink.ts';

const striped = () => {
  const spec = { ...architectureFromLayers(['mh-hyena', 'swiglu', 'mh-attention', 'swiglu']), name: 'striped' };
  spec.layers[2] = { type: 'mh-attention', config: { n_heads: 8, rotary_emb_dim: 16 } };
  return spec;
};

describe('experiment share links', () => {
  it('open the builder page and decode back to the same architecture and launcher choice', () => {
    const spec = striped();
    const choice = {
      ...INITIAL_LAUNCHER_CHOICE,
      mode: 'grid' as const,
      task: 'memorization' as const,
      sizes: sizesOf(settingsForTask('memorization')[0]!),
      demo: { numTrainExamples: 256, numTestExamples: 64, epochs: 2 },
    };
    const outcome = experimentLink('http://127.0.0.1:4173/#/runs', spec, choice);
    if (!outcome.ok) throw new Error(outcome.problem);
    expect(outcome.link).toMatch(/^http:\/\/127\.0\.0\.1:4173\/#\/builder&mad=v2\./);
    expect(outcome.runLeftOut).toBeNull();
    const state = decodeShareLink(outcome.link);
    expect(state.architecture).toEqual(spec);
    expect(launcherChoiceOfShareRun(state.run!)).toEqual({ ok: true, choice });
  });

  it('carry the model alone, and say so, while a launcher field is invalid', () => {
    const outcome = experimentLink('http://x/', striped(), { ...INITIAL_LAUNCHER_CHOICE, training: { ...INITIAL_LAUNCHER_CHOICE.training, lr: Number.NaN } });
    if (!outcome.ok) throw new Error(outcome.problem);
    expect(outcome.runLeftOut).toMatch(/^The run settings are not in this link: training\.lr must be a number > 0/);
    expect(decodeShareLink(outcome.link)).toEqual({ architecture: striped() });
  });

  it('refuse an invalid model with its problems', () => {
    const outcome = experimentLink('http://x/', architectureFromLayers([]), INITIAL_LAUNCHER_CHOICE);
    expect(outcome.ok).toBe(false);
  });
});
