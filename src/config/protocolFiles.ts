// The protocol profiles of the repository's configs/protocols/*.yml (read through configFiles.ts:
// bundled in the browser and Vitest, from disk under plain Node). protocolDisk.ts reads other files.

import { TASK_GRIDS } from './taskGridFiles.ts';
import { configTexts } from './configFiles.ts';
import { PROTOCOL_NAMES, parseProtocol, type ProtocolName, type ProtocolProfile } from './protocols.ts';

const texts = configTexts('protocols', () => import.meta.glob('../../configs/protocols/*.yml', { query: '?raw', import: 'default', eager: true }));

function protocol(name: ProtocolName): ProtocolProfile {
  const file = `configs/protocols/${name}.yml`;
  const text = texts[name];
  if (text === undefined) throw new Error(`${file} is missing`);
  return parseProtocol(name, file, text, TASK_GRIDS);
}

export const PROTOCOLS: Record<ProtocolName, ProtocolProfile> = Object.fromEntries(PROTOCOL_NAMES.map((name) => [name, protocol(name)])) as Record<
  ProtocolName,
  ProtocolProfile
>;
