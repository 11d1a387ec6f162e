// Headless entry point, `npm run mad -- <command> …`: dispatches to one subcommand, maps failures to
// exit codes (2 usage, 1 failure) and prints them on one line, engine failures in the domain's
// words (errorMessages.ts); MAD_DEBUG=1 adds the stack trace.
import { UsageError, type Command } from './args.ts';
import { benchmarkCommand } from './commands/benchmark.ts';
import { dataCommand } from './commands/data.ts';
import { infoCommand } from './commands/info.ts';
import { scoresCommand } from './commands/scores.ts';
import { selftestCommand } from './commands/selftest.ts';
import { trainCommand } from './commands/train.ts';
import { weightsCommand } from './commands/weights.ts';
import { userMessage } from './errorMessages.ts';

/** Adding a subcommand is one line here. */
const COMMANDS: Record<string, Command> = {
  data: dataCommand,
  info: infoCommand,
  selftest: selftestCommand,
  train: trainCommand,
  benchmark: benchmarkCommand,
  scores: scoresCommand,
  weights: weightsCommand,
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [
    'usage: npm run mad -- <command> [flags]',
    '',
    'commands:',
    ...lines,
    '',
    "'npm run mad -- <command> --help' lists a command's flags. MAD_DEBUG=1 prints stack traces.",
  ].join('\n');
}

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return 0;
  }
  const command = name === undefined ? undefined : COMMANDS[name];
  if (command === undefined) {
    console.error(name === undefined ? usage() : `mad: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(command.usage());
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    if (process.env.MAD_DEBUG === '1') console.error(err);
    const message = userMessage(err instanceof Error ? err.message : String(err)).replace(/\s*\n\s*/g, ' ');
    if (err instanceof UsageError) {
      console.error(`mad ${name}: ${message} (see: npm run mad -- ${name} --help)`);
      return 2;
    }
    console.error(`mad ${name}: ${message}`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
