// The command line that runs the Builder's model with the lab's own CLI (`npm run mad`), through
// its share link, so the CLI trains exactly the model (and run) the link reproduces. The command
// follows what the link's run is: one setting → `train`; a protocol → `benchmark`; a task grid, or
// a protocol at the Runs page's demo scale, has no command-line equal, so the command benchmarks
// the model on a named profile and says so (src/cli/linkRun.ts refuses the bare link the same way).
import type { ShareRun } from '../../share/shareState.ts';

export interface CliCommand {
  text: string;
  /** What the command runs, in one sentence. */
  note: string;
}

/** A text as one POSIX shell word. */
function quoted(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The command for `link`, whose run is `run` (undefined: the link carries the model only). */
export function cliCommand(link: string, run: ShareRun | undefined): CliCommand {
  const source = `--link ${quoted(link)}`;
  if (run === undefined) return { text: `npm run mad -- train ${source}`, note: 'Trains the model on the CLI’s default setting (the link carries no run settings).' };
  const { selection } = run;
  switch (selection.kind) {
    case 'setting':
      return { text: `npm run mad -- train ${source}`, note: 'Trains the model on the Runs page’s setting, hyper-parameters and seed; flags added after it override them.' };
    case 'protocol':
      return run.demo === undefined
        ? { text: `npm run mad -- benchmark ${source}`, note: `Benchmarks the model on the ${selection.profile} protocol with the Runs page’s seed.` }
        : {
            text: `npm run mad -- benchmark ${source} --profile ${selection.profile}`,
            note: `Benchmarks the model on the ${selection.profile} protocol at full size: the command line has no demo scale.`,
          };
    case 'task-grid':
      return {
        text: `npm run mad -- benchmark ${source} --profile quick`,
        note: `The ${selection.task} task grid has no command-line equal: this scores the model on the quick protocol instead.`,
      };
  }
}
