// `mad scores DIR`: the MAD scores of every model in a logs directory (mad-lab's, or ours from `mad
// benchmark`), computed from its results.csv files as analysis.py does and printed as `mad benchmark`
// prints them, or as one JSON document. A file that cannot be used (a malformed csv, values no run
// can produce, a folder name that is not a run name) is a warning on stderr naming it, and skipped.

import { join } from 'node:path';
import { runsByModel } from '../../share/madlabImport.ts';
import { importMadlabLogsFromDisk } from '../../share/madlabImportDisk.ts';
import { computeMadScores } from '../../train/madScore.ts';
import { formatFlags, parseArgs, UsageError, type Command, type FlagSpecs } from '../args.ts';
import { formatScores } from './benchmark.ts';

const FLAGS = {
  json: { kind: 'switch', help: 'print one JSON document: {logsDir, models: [MAD scores per model], warnings}' },
} as const satisfies FlagSpecs;

export const scoresCommand: Command = {
  summary: "MAD scores of every model in a logs directory (mad-lab's analysis.py)",
  usage() {
    return [
      'usage: npm run mad -- scores DIR [--json]',
      '',
      'Reads every <run-dir>/results.csv under DIR (benchmark.py --logs-path, or mad benchmark --logs-path), groups the',
      "runs by model id and prints each model's task scores and their mean as mad benchmark does. Exits 1 when DIR holds no run.",
      '',
      formatFlags(FLAGS),
    ].join('\n');
  },
  async run(argv) {
    const [dir, ...rest] = argv;
    if (dir === undefined || dir.startsWith('--')) throw new UsageError('DIR is required: the logs directory to score');
    const flags = parseArgs(rest, FLAGS);
    const imported = importMadlabLogsFromDisk(dir);
    for (const { path, problem } of imported.warnings) console.error(`warning: ${join(dir, path)}: ${problem}`);
    const models = [...runsByModel(imported.runs).values()].map((runs) => computeMadScores(runs));
    if (flags.json) {
      console.log(JSON.stringify({ logsDir: dir, models, warnings: imported.warnings }, null, 2));
    } else {
      for (const scores of models) console.log(formatScores(scores));
    }
    if (models.length > 0) return 0;
    console.error(`mad scores: no run results under ${dir} (expected <run-dir>/results.csv files)`);
    return 1;
  },
};
