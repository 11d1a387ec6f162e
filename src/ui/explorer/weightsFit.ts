// Whether a loaded weights file's model can predict the instances of the setting on screen: its
// embedding and head have the setting's vocabulary, its max_length (Hyena's filter length, the
// AutoEncoder's sequence) is the setting's seq_len, and its backbone is the one the task needs.
import type { TaskSetting } from '../../tasks/types.ts';
import type { LoadedWeights } from '../../worker/weightsApi.ts';

/** Why the weights cannot predict this setting (a sentence saying what to pick), or null when they can. */
export function weightsFitProblem(weights: Pick<LoadedWeights, 'vocabSize' | 'maxLength' | 'backbone'>, setting: Pick<TaskSetting, 'task' | 'vocabSize' | 'seqLen'>): string | null {
  const differences: string[] = [];
  if (weights.vocabSize !== setting.vocabSize) differences.push(`a vocabulary of ${weights.vocabSize} (this setting has ${setting.vocabSize})`);
  if (weights.maxLength !== setting.seqLen) differences.push(`sequences of ${weights.maxLength} tokens (this setting has ${setting.seqLen})`);
  const autoencoder = weights.backbone === 'autoencoder';
  if (autoencoder !== (setting.task === 'compression')) differences.push(autoencoder ? 'the compression task (an AutoEncoder)' : 'a language model, not the compression task');
  if (differences.length === 0) return null;
  return `these weights are for ${differences.join(', ')}: pick a task and setting that match.`;
}
