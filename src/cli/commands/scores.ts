// `mad scores DIR`: the MAD scores of every model in a logs directory (mad-lab's, or ours from `mad
// benchmark`), computed from its results.csv files as analysis.py does and printed as `mad benchmark`
// prints them, or as one JSON document. A file that cannot be used (a malformed csv, values no run
// can produce, a folder name that is not a run name) is a warning on stderr naming it, and skipped.
// What a score leaves out (tasks without runs, settings missing sweep points: scoreGaps.ts) is a
// note on stderr, so a partial logs directory is not mistaken for a whole benchmark.

import { join } from 'node:path';
import { runsByModel } from '../../share/madlabImport.ts';
import { importMadlabLogsFromDisk } from '../../share/madlabImportDisk.ts';
import { computeMadScores } from '../../train/madScore.ts';
import { scoreGaps } from '../../train/scoreGaps.ts';
import { formatFlags, parseArgs, UsageError, type Command, type FlagSpecs } from '../args.ts';
import { formatScores } from './benchmark.ts';

const FLAGS = {
  json: { kind: 'switch', help: 'print one JSON document: {logsDir, models: [MAD scores per model], warnings, notes}' },
} as const satisfies FlagSpecs;

export const scoresCommand: Command = {
  summary: "MAD scores of every model in a logs directory (mad-lab's analysis.py)",
  usage() {
    return [
      'usage: npm run mad -- scores DIR [--json]',
      '',
      'Reads every <run-dir>/results.csv under DIR (benchmark.py --logs-path, or mad benchmark --logs-path), groups the',
      "runs by model id and prints each model's task scores and their mean as mad benchmark does. Exits 1 when DIR holds no run.",
      'Notes on stderr say what a score leaves out: tasks with no run, and settings with fewer (lr, weight decay) sweep points',
      "than the model's others (runs still training, diverged, or in a shard's logs directory not merged yet).",
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
    const notes = models.flatMap(scoreGaps);
    for (const note of notes) console.error(`note: ${note}`);
    if (flags.json) {
      console.log(JSON.stringify({ logsDir: dir, models, warnings: imported.warnings, notes }, null, 2));
    } else {
      for (const scores of models) console.log(formatScores(scores));
    }
    if (models.length > 0) return 0;
    console.error(`mad scores: no run results under ${dir} (expected <run-dir>/results.csv files)`);
    return 1;
  },
};
