// The run a share link (or a Builder export that carries one) describes, as the defaults of a
// command: `mad train` trains one setting, so a link of one setting gives its task setting,
// hyper-parameters and seed (flags still win); a task grid or protocol link is benchmark's, and
// train says so unless --task picks the setting. `mad benchmark` runs a protocol link's profile;
// it does not guess a profile for a link of one setting or a task grid, nor reproduce the Runs
// page's demo scale, and says what to add instead.

import type { ProtocolName } from '../config/protocols.ts';
import type { RunSelection, ShareRun } from '../share/shareState.ts';
import type { TaskSetting } from '../tasks/types.ts';
import { DEFAULT_TRAINING, type TrainingHyperparameters } from '../train/types.ts';
import { UsageError } from './args.ts';
import type { ModelChoice } from './modelSource.ts';

/** What `mad train` starts from before its flags: a link's setting when it is one, and its hyper-parameters. */
export interface TrainDefaults {
  /** The run's task setting (seed included), when the run is one setting of the task train trains. */
  setting?: TaskSetting;
  /** DEFAULT_TRAINING with the run's hyper-parameters; its seed is the run's one seed. */
  training: TrainingHyperparameters;
}

function describeSelection(selection: RunSelection): string {
  switch (selection.kind) {
    case 'setting':
      return `one ${selection.setting.task} setting`;
    case 'task-grid':
      return `the ${selection.task} task grid`;
    case 'protocol':
      return `the ${selection.profile} protocol`;
  }
}

/**
 * train's defaults from `choice`'s run. `task` and `seed` are the flags: a run that is not one
 * setting needs --task; a setting of another task than --task's is not used (its hyper-parameters
 * are); a link whose data seed and training seed differ needs --seed, since train has one seed.
 */
export function trainDefaults(choice: ModelChoice, flags: { task?: string; seed?: number }): TrainDefaults {
  const run = choice.run;
  if (run === undefined) return { training: DEFAULT_TRAINING };
  const training = { ...DEFAULT_TRAINING, ...run.training };
  const { selection } = run;
  if (selection.kind !== 'setting') {
    if (flags.task === undefined) {
      const profile = selection.kind === 'protocol' && run.demo === undefined ? '' : ' --profile quick';
      throw new UsageError(
        `${choice.origin}'s run is ${describeSelection(selection)}${run.demo ? ' at demo scale' : ''}, not one setting: ` +
          `benchmark it with \`npm run mad -- benchmark ${choice.sourceArgs}${profile}\`, or give --task to train the model on one setting`,
      );
    }
    return { training };
  }
  const { setting } = selection;
  const trainingSeed = run.training?.seed;
  if (flags.seed === undefined && trainingSeed !== undefined && trainingSeed !== setting.seed) {
    throw new UsageError(`${choice.origin}'s data seed ${setting.seed} and training seed ${trainingSeed} differ, and train uses one seed for both: give --seed`);
  }
  const seeded = { ...training, seed: setting.seed };
  if (flags.task !== undefined && flags.task !== setting.task) return { training: seeded };
  return { setting, training: seeded };
}

/** The seed a benchmark defaults to: the run's one seed, if the model came with a run. */
export function runSeed(run: ShareRun | undefined): number | undefined {
  if (run === undefined) return undefined;
  return run.training?.seed ?? (run.selection.kind === 'setting' ? run.selection.setting.seed : undefined);
}

/**
 * The profile a benchmark runs when the model came with a run and neither --profile nor
 * --profile-file is given: a protocol link's own, at full size; anything else is a usage error
 * saying what to add. `note` is told which
 * of the link's hyper-parameters a protocol does not use (it sets its own).
 */
export function linkProtocol(choice: ModelChoice & { run: ShareRun }, note: (line: string) => void): ProtocolName {
  const { run } = choice;
  const add = '--profile quick (minutes), standard (hours) or full (mad-lab’s 396 runs)';
  const { selection } = run;
  if (selection.kind !== 'protocol') {
    throw new UsageError(`${choice.origin}'s run is ${describeSelection(selection)}, which the Runs page trains without a MAD score; add ${add} to benchmark its model`);
  }
  if (run.demo !== undefined) {
    const { numTrainExamples, numTestExamples, epochs } = run.demo;
    throw new UsageError(
      `${choice.origin}'s run is the ${selection.profile} protocol at the Runs page's demo scale (${numTrainExamples} train / ${numTestExamples} test examples, ${epochs} epochs), which benchmark does not shrink to: ` +
        `add --profile ${selection.profile} to run it at full size, or open the link on the Runs page`,
    );
  }
  const unused = Object.entries(run.training ?? {}).filter(([key]) => key !== 'seed');
  if (unused.length > 0) note(`note: ${choice.origin}'s ${unused.map(([k, v]) => `${k} ${String(v)}`).join(', ')} not used: the ${selection.profile} protocol sets its own`);
  return selection.profile;
}
