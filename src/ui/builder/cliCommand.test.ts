// The export panel's command line runs: the link inside it, read back by the shell's rules, plans
// under `mad train` the run the Runs launcher plans; other runs get the command the CLI accepts.
import { describe, expect, it } from 'vitest';
import { trainPlan } from '../../cli/commands/train.ts';
import type { ArchitectureSpec } from '../../model/architecture.ts';
import { INITIAL_LAUNCHER_CHOICE } from '../../state/launcherChoice.ts';
import { shareRunOfLauncherChoice } from '../../state/launcherShareRun.ts';
import { shareUrl } from '../../share/urlCodec.ts';
import { DEFAULT_TRAINING } from '../../train/types.ts';
import { cliCommand } from './cliCommand.ts';

const MODEL: ArchitectureSpec = { version: 1, dim: 32, layers: [{ type: 'attention', config: { rotary_emb_dim: 32 } }, { type: 'swiglu' }] };

/** The words a POSIX shell makes of a command of plain words and single-quoted ones. */
function shellWords(command: string): string[] {
  return [...command.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((m) => (m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : m[2]!));
}

describe('cliCommand', () => {
  it('one setting: `mad train --link` plans the Runs page’s run (model, setting, seed)', () => {
    const choice = { ...INITIAL_LAUNCHER_CHOICE, sizes: { vocabSize: 16, seqLen: 32, numTrainExamples: 64, numTestExamples: 16 }, training: { ...DEFAULT_TRAINING, seed: 7 } };
    const run = shareRunOfLauncherChoice(choice);
    const link = shareUrl("https://lab.example/it's/", { architecture: MODEL, run });
    const { text } = cliCommand(link, run);
    const [npm, verb, mad, dashes, command, ...argv] = shellWords(text);
    expect([npm, verb, mad, dashes, command]).toEqual(['npm', 'run', 'mad', '--', 'train']);
    expect(argv).toEqual(['--link', link]);
    const plan = trainPlan(argv);
    expect(plan.architecture).toEqual(MODEL);
    expect(plan.setting).toEqual(run.selection.kind === 'setting' ? run.selection.setting : null);
    expect(plan.training.seed).toBe(7);
  });

  it('a protocol benchmarks; a demo-scale protocol or a task grid names the profile the CLI needs', () => {
    const link = 'https://lab.example/#/builder&mad=v2.x';
    expect(cliCommand(link, { selection: { kind: 'protocol', profile: 'standard' } }).text).toBe(`npm run mad -- benchmark --link '${link}'`);
    const demo = { numTrainExamples: 256, numTestExamples: 64, epochs: 4 };
    expect(cliCommand(link, { selection: { kind: 'protocol', profile: 'standard' }, demo }).text).toBe(`npm run mad -- benchmark --link '${link}' --profile standard`);
    expect(cliCommand(link, { selection: { kind: 'task-grid', task: 'memorization' } }).text).toBe(`npm run mad -- benchmark --link '${link}' --profile quick`);
    expect(cliCommand(link, undefined).text).toBe(`npm run mad -- train --link '${link}'`);
  });
});
