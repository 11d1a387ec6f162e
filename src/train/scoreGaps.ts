// What a model's MAD score leaves out, said before anyone compares it with another: the tasks
// without a scored setting (its mean is over the others), and the settings whose best run was
// picked from fewer sweep points than the model's fullest setting had (runs still training,
// diverged, or written to another shard's logs directory that was not merged).

import { TASK_NAMES } from '../tasks/types.ts';
import type { MadScores } from './madScore.ts';

/** Settings named in a note at most; the rest are counted. */
const NAMED_SETTINGS = 3;

/** One sentence per gap in `scores`, naming the model; none when it covers every task and sweep point. */
export function scoreGaps(scores: MadScores): string[] {
  const gaps: string[] = [];
  const model = `model ${scores.modelId}`;
  const missing = TASK_NAMES.filter((task) => scores.tasks[task] === undefined);
  const present = TASK_NAMES.length - missing.length;
  if (missing.length > 0 && present > 0) {
    gaps.push(`${model} has no scored run of ${missing.join(', ')}: its mean is over the other ${present} of the ${TASK_NAMES.length} tasks.`);
  }
  const settings = Object.values(scores.tasks).flatMap((task) => task.settings);
  const most = Math.max(0, ...settings.map((s) => s.sweepPoints));
  const short = settings.filter((s) => s.sweepPoints < most);
  if (short.length > 0) {
    const named = short.slice(0, NAMED_SETTINGS).map((s) => `${s.setting.task} ${s.runDir.replace(/_lr-.*$/, '')} (${s.sweepPoints})`);
    const more = short.length > NAMED_SETTINGS ? ` and ${short.length - NAMED_SETTINGS} more` : '';
    gaps.push(
      `${model}: ${short.length} of its ${settings.length} settings had fewer sweep points (lr, weight decay) than its others' ${most}, so their best was picked from fewer runs: ` +
        `${named.join('; ')}${more}. Their other runs may be training, diverged (left out), or in another shard's logs directory.`,
    );
  }
  return gaps;
}
