// The yml files of one configs/ sub-folder read from disk, for plain Node (the tsx CLI) where
// Vite's import.meta.glob bundling is not available. Browsers and Vitest use the bundled texts.

/** `{ <file name without .yml>: text }` of configs/<folder>/*.yml. */
export function readConfigFolder(folder: string): Record<string, string> {
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

/** Keys import.meta.glob results by file name without folder and .yml. */
export function byFileName(modules: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(modules).map(([path, text]) => [path.replace(/^.*\/|\.yml$/g, ''), text]));
}
