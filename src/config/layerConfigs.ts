// Layer defaults from configs/layers/<name>.yml: bundled as text by Vite (browser, worker,
// Vitest), read from disk on first use under plain Node (the tsx CLI), parsed with `yaml`.
// Returns plain objects; each layer validates its own keys (src/layers).

import { parse } from 'yaml';

type YmlTable = Record<string, string>;

let texts: YmlTable | null = null;

function bundled(): YmlTable | null {
  try {
    const modules = import.meta.glob('../../configs/layers/*.yml', { query: '?raw', import: 'default', eager: true }) as Record<
      string,
      string
    >;
    return Object.fromEntries(Object.entries(modules).map(([path, text]) => [path.replace(/^.*\/|\.yml$/g, ''), text]));
  } catch {
    return null; // not transformed by Vite: plain Node
  }
}

function fromDisk(): YmlTable {
  const node = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  if (!node?.getBuiltinModule) throw new Error('layer configs are bundled by Vite in browsers; under Node this needs Node ≥ 20.16');
  const fs = node.getBuiltinModule('node:fs') as typeof import('node:fs');
  const url = node.getBuiltinModule('node:url') as typeof import('node:url');
  const dir = url.fileURLToPath(new URL('../../configs/layers/', import.meta.url));
  return Object.fromEntries(
    fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.yml'))
      .map((f) => [f.slice(0, -4), fs.readFileSync(dir + f, 'utf8')]),
  );
}

/** The names of every configs/layers/*.yml. */
export function layerConfigNames(): string[] {
  texts ??= bundled() ?? fromDisk();
  return Object.keys(texts).sort();
}

/** The parsed defaults of configs/layers/<name>.yml; throws naming the file when missing or malformed. */
export function layerDefaults(name: string): Record<string, unknown> {
  texts ??= bundled() ?? fromDisk();
  const text = texts[name];
  if (text === undefined) throw new Error(`configs/layers/${name}.yml does not exist`);
  let value: unknown;
  try {
    value = parse(text);
  } catch (err) {
    throw new Error(`configs/layers/${name}.yml is not valid YAML: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`configs/layers/${name}.yml must be a mapping of keys to values`);
  }
  return value as Record<string, unknown>;
}
