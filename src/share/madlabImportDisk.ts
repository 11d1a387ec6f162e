// A mad-lab logs directory read from disk (Node: CLI and scripts): every results.csv below it,
// then importMadlabLogs. A file that cannot be read becomes a warning, like a malformed one.

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { importMadlabLogs, isResultsCsvPath, type ImportWarning, type LogFile, type MadlabImport } from './madlabImport.ts';

/** The results.csv files under `dir`, at any depth, with paths relative to it. */
function readResultFiles(dir: string, root: string, files: LogFile[], warnings: ImportWarning[]): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    warnings.push({ path: relative(root, dir) || '.', problem: `this folder could not be read (${err instanceof Error ? err.message : String(err)}); skipped.` });
    return;
  }
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) readResultFiles(path, root, files, warnings);
    else if (isResultsCsvPath(entry.name)) {
      try {
        files.push({ path: relative(root, path), text: readFileSync(path, 'utf8') });
      } catch (err) {
        warnings.push({ path: relative(root, path), problem: `the file could not be read (${err instanceof Error ? err.message : String(err)}); skipped.` });
      }
    }
  }
}

/** Imports `<logsDir>/…/<run-dir>/results.csv`; throws only when `logsDir` itself is not a readable folder. */
export function importMadlabLogsFromDisk(logsDir: string): MadlabImport {
  try {
    readdirSync(logsDir);
  } catch (err) {
    throw new Error(`Cannot read the mad-lab logs folder ${logsDir} (${err instanceof Error ? err.message : String(err)}): give the folder benchmark.py wrote (--logs-path).`);
  }
  const files: LogFile[] = [];
  const warnings: ImportWarning[] = [];
  readResultFiles(logsDir, logsDir, files, warnings);
  const imported = importMadlabLogs(files);
  return { runs: imported.runs, warnings: [...warnings, ...imported.warnings] };
}
