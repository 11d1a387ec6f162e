// The model a run trains, as a weights file describes it: the run's architecture with the
// trainer's vocabulary and max_length (benchmark.py's: the setting's seq_len), so the CLI and the
// page export and import a run's weights against the one model the trainer built.

import type { ArchitectureSpec } from '../model/architecture.ts';
import type { TaskSetting } from '../tasks/types.ts';
import type { WeightsModel } from './weightsFile.ts';

/** A run plan's parts that fix its parameters (structural, so any plan-shaped record fits). */
export interface RunModelSource {
  architecture: ArchitectureSpec;
  setting: Pick<TaskSetting, 'vocabSize' | 'seqLen' | 'task'>;
}

export function runWeightsModel(plan: RunModelSource): WeightsModel {
  return { architecture: plan.architecture, context: { vocabSize: plan.setting.vocabSize, maxLength: plan.setting.seqLen, task: plan.setting.task } };
}
