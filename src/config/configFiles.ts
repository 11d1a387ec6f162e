// The one way configs/ is read: `configTexts(folder, bundled)` gives the yml texts of one configs/
// folder by file name. Each caller passes its folder's `import.meta.glob`, which Vite turns into
// the bundled texts (browser, worker, Vitest); the glob must be a literal at the call site, which
// also keeps each folder in the chunk that uses it. Under plain Node (the tsx CLI), where nothing
// transforms the glob, the folder is read from disk instead. Only src/config calls this.

export type ConfigFolder = 'tasks' | 'layers' | 'protocols' | 'presets' | 'demos' | 'reference';

/** `{ <file name without .yml>: text }` of configs/<folder>/*.yml, from the bundle or from disk. */
export function configTexts(folder: ConfigFolder, bundled: () => Record<string, string>): Record<string, string> {
  let modules: Record<string, string>;
  try {
    modules = bundled();
  } catch {
    return readConfigFolder(folder); // not transformed by Vite: plain Node
  }
  return Object.fromEntries(Object.entries(modules).map(([path, text]) => [path.replace(/^.*\/|\.yml$/g, ''), text]));
}

/** configs/<folder>/*.yml read from disk, sorted by name (Node's builtins are reached at run time, so browsers never load them). */
function readConfigFolder(folder: ConfigFolder): Record<string, string> {
  const node = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  if (!node?.getBuiltinModule) throw new Error(`configs/${folder} is bundled by Vite in browsers; under Node reading it needs Node ≥ 20.16`);
  const fs = node.getBuiltinModule('node:fs') as typeof import('node:fs');
  const url = node.getBuiltinModule('node:url') as typeof import('node:url');
  const dir = url.fileURLToPath(new URL(`../../configs/${folder}/`, import.meta.url));
  return Object.fromEntries(
    fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.yml'))
      .sort()
      .map((f) => [f.slice(0, -4), fs.readFileSync(dir + f, 'utf8')]),
  );
}
