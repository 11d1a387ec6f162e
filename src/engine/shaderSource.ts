// WGSL sources live as .wgsl files under shaders/. In a Vite build (browser, worker, Vitest)
// they are bundled as raw strings through import.meta.glob; under plain Node (the tsx CLI)
// that call does not exist, so the files are read from disk instead, on first use. Either way
// callers get the same text, which is what the pipeline cache keys on.

type ShaderTable = Record<string, string>;

let table: ShaderTable | null = null;

function bundledShaders(): ShaderTable | null {
  try {
    const modules = import.meta.glob('../../shaders/**/*.wgsl', {
      query: '?raw',
      import: 'default',
      eager: true,
    }) as Record<string, string>;
    const out: ShaderTable = {};
    for (const [path, text] of Object.entries(modules)) {
      out[path.slice(path.indexOf('shaders/') + 'shaders/'.length)] = text;
    }
    return out;
  } catch {
    return null; // not transformed by Vite: plain Node
  }
}

function diskShaders(): ShaderTable {
  // process.getBuiltinModule (Node ≥ 20.16) loads built-ins synchronously without an import
  // statement that a browser bundle would have to resolve.
  const node = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  if (!node?.getBuiltinModule) throw new Error('shaders are bundled by Vite in browsers; under Node this needs Node ≥ 20.16');
  const fs = node.getBuiltinModule('node:fs') as typeof import('node:fs');
  const path = node.getBuiltinModule('node:path') as typeof import('node:path');
  const url = node.getBuiltinModule('node:url') as typeof import('node:url');
  const root = path.resolve(path.dirname(url.fileURLToPath(import.meta.url)), '../../shaders');
  const out: ShaderTable = {};
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.wgsl')) {
        out[path.relative(root, full).split(path.sep).join('/')] = fs.readFileSync(full, 'utf8');
      }
    }
  };
  walk(root);
  return out;
}

/**
 * A hash of every shader's text (paths and sources, in path order): part of the key under which a
 * GPU check's result is kept, so a changed kernel is checked again. FNV-1a over UTF-16 code units,
 * two 32-bit lanes: no crypto needed, the same value in the page's worker and in Node.
 */
export function shaderSourcesHash(): string {
  table ??= bundledShaders() ?? diskShaders();
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (const path of Object.keys(table).sort()) {
    const text = `${path}\n${table[path]}\n`;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
    }
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

const INCLUDE = /^\s*\/\/\s*#include\s+"([^"]+)"\s*$/gm;

/** Expanded sources by path: the files never change while the program runs, so expansion is pure. */
const expanded = new Map<string, string>();

/**
 * The text of shaders/<path>, with `// #include "common/x.wgsl"` lines replaced by that file
 * (once each), so shared helpers are written once and every shader stays a complete program.
 * Expanded once per path: ops ask for their sources on every launch they record.
 */
export function shaderSource(path: string): string {
  let source = expanded.get(path);
  if (source === undefined) {
    source = expandIncludes(path);
    expanded.set(path, source);
  }
  return source;
}

function expandIncludes(path: string): string {
  table ??= bundledShaders() ?? diskShaders();
  const seen = new Set<string>();
  const expand = (p: string): string => {
    const text = table![p];
    if (text === undefined) throw new Error(`no shader at shaders/${p}`);
    return text.replace(INCLUDE, (_line, inc: string) => {
      if (seen.has(inc)) return '';
      seen.add(inc);
      return expand(inc);
    });
  };
  return expand(path);
}
