// Protocol profiles read from disk (Node only: the CLI and bench): <configs>/protocols/<name>.yml of
// a configs directory the caller names, or any profile file a user writes in the same format.

import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTaskGrids } from './taskGridDisk.ts';
import { parseProtocol, type ProtocolName, type ProtocolProfile } from './protocols.ts';

const DEFAULT_CONFIGS_DIR = fileURLToPath(new URL('../../configs/', import.meta.url));

/** configs/protocols/<name>.yml, its settings resolved against configs/tasks/*.yml. */
export function loadProtocol(name: ProtocolName, configsDir: string = DEFAULT_CONFIGS_DIR): ProtocolProfile {
  const path = join(configsDir, 'protocols', `${name}.yml`);
  return parseProtocol(name, `configs/protocols/${name}.yml`, readFileSync(path, 'utf8'), loadTaskGrids(configsDir));
}

/** A profile file anywhere (e.g. `--profile-file my.yml`); its name is the file's name without .yml. */
export function loadProtocolFile(path: string, configsDir: string = DEFAULT_CONFIGS_DIR): ProtocolProfile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read the protocol profile ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  return parseProtocol(basename(path).replace(/\.ya?ml$/, ''), path, text, loadTaskGrids(configsDir));
}
