// The protocol profiles of configs/protocols/*.yml, bundled as text at build time (browser and Vitest).

import { TASK_GRIDS } from './bundledTaskGrids.ts';
import { PROTOCOL_NAMES, parseProtocol, type ProtocolName, type ProtocolProfile } from './protocols.ts';

const ymlTextByPath: Record<string, string> = import.meta.glob('../../configs/protocols/*.yml', {
  query: '?raw',
  import: 'default',
  eager: true,
});

function bundledProtocol(name: ProtocolName): ProtocolProfile {
  const file = `configs/protocols/${name}.yml`;
  const text = ymlTextByPath[`../../${file}`];
  if (text === undefined) throw new Error(`${file} is missing from the bundle`);
  return parseProtocol(name, file, text, TASK_GRIDS);
}

export const PROTOCOLS: Record<ProtocolName, ProtocolProfile> = Object.fromEntries(
  PROTOCOL_NAMES.map((name) => [name, bundledProtocol(name)]),
) as Record<ProtocolName, ProtocolProfile>;
