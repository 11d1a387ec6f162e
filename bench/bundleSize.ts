// `npm run bench -- bundle`: the production bundle's size. Runs `vite build` (unless --no-build),
// then reads dist/: the initial load is index.html plus the JS and CSS the entry loads before any
// lazy page or worker (the entry chunk, its static imports and their CSS, from Vite's manifest);
// lazy chunks (React.lazy pages and their own imports) and worker chunks are listed apart. Sizes
// raw and gzip (node:zlib at its default level, what a static server typically sends).

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const BUNDLE_SECTION = 'Bundle size';
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');

/** One entry of Vite's build manifest (the fields read here). */
interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
  assets?: string[];
}

type Manifest = Record<string, ManifestChunk>;

export interface FileSize {
  file: string;
  raw: number;
  gzip: number;
}

export interface BundleReport {
  initial: FileSize[];
  /** Per lazy entry (a dynamic import target): its chunk plus imports not already in the initial load. */
  lazy: { name: string; files: FileSize[] }[];
  workers: FileSize[];
}

export function buildApp(log: (line: string) => void): void {
  log('vite build …');
  // Vite's log goes to stderr: stdout carries the section alone.
  const result = spawnSync('npx', ['vite', 'build'], { cwd: ROOT, stdio: ['ignore', 2, 2] });
  if (result.status !== 0) throw new Error(`vite build failed (exit ${result.status ?? result.signal}): fix the build, then run the benchmark again.`);
}

function sizeOfIn(dist: string, file: string): FileSize {
  const bytes = readFileSync(join(dist, file));
  return { file, raw: bytes.length, gzip: gzipSync(bytes).length };
}

/** The chunk keys reachable from `start` through static imports. */
function staticClosure(manifest: Manifest, start: string, into = new Set<string>()): Set<string> {
  if (into.has(start)) return into;
  into.add(start);
  for (const key of manifest[start]?.imports ?? []) staticClosure(manifest, key, into);
  return into;
}

function filesOf(manifest: Manifest, keys: Iterable<string>): string[] {
  const files = new Set<string>();
  for (const key of keys) {
    const chunk = manifest[key];
    if (!chunk) continue;
    files.add(chunk.file);
    for (const css of chunk.css ?? []) files.add(css);
  }
  return [...files];
}

/** Files under `dir` (paths relative to `dist`). */
function distFiles(dist: string, dir = dist): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === '.vite') return [];
    return statSync(path).isDirectory() ? distFiles(dist, path) : [relative(dist, path)];
  });
}

/** Measures a built dist/ directory (the project's by default). */
export function measureBundle(dist = DIST): BundleReport {
  const manifestPath = join(dist, '.vite', 'manifest.json');
  if (!existsSync(manifestPath)) throw new Error(`${manifestPath} is missing: build with build.manifest enabled (vite.config.ts), or run without --no-build.`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
  const sizeOf = (file: string) => sizeOfIn(dist, file);
  const entry = Object.keys(manifest).find((key) => manifest[key]!.isEntry && key.endsWith('index.html'));
  if (!entry) throw new Error('The build manifest has no index.html entry: is this dist/ from `vite build`?');

  const initialKeys = staticClosure(manifest, entry);
  const initialFiles = filesOf(manifest, initialKeys);
  const lazy = Object.keys(manifest)
    .filter((key) => manifest[key]!.isDynamicEntry)
    .map((key) => {
      const own = [...staticClosure(manifest, key)].filter((k) => !initialKeys.has(k));
      return { name: key, files: filesOf(manifest, own).map(sizeOf) };
    })
    .sort((a, b) => total(b.files).raw - total(a.files).raw);
  // Worker bundles are built separately and do not appear in the app's manifest: Vite names them
  // after their module (trainer.worker-<hash>.js).
  const workers = distFiles(dist)
    .filter((file) => /\.worker-[\w-]+\.js$/.test(file))
    .map(sizeOf);
  return { initial: ['index.html', ...initialFiles].map(sizeOf), lazy, workers };
}

export function total(files: readonly FileSize[]): { raw: number; gzip: number } {
  return files.reduce((sum, f) => ({ raw: sum.raw + f.raw, gzip: sum.gzip + f.gzip }), { raw: 0, gzip: 0 });
}

const kib = (bytes: number): string => (bytes / 1024).toFixed(1);

/** The markdown section, title line included. */
export function renderBundleSection(report: BundleReport, command: string, measured: string): string {
  const row = (what: string, files: readonly FileSize[]) => {
    const sum = total(files);
    return `| ${what} | ${files.map((f) => `\`${f.file}\``).join('<br>')} | ${kib(sum.raw)} | ${kib(sum.gzip)} |`;
  };
  return [
    `## ${BUNDLE_SECTION}`,
    '',
    'The production build (`vite build`). The initial load is what the first page needs before any',
    'worker or lazy page: index.html, the entry chunk, its static imports and their CSS (from',
    "Vite's manifest). Each other page is a lazy chunk loaded when it is first opened (React.lazy), listed",
    'with the chunks it imports that the initial load lacks (Recharts comes with the Runs and Classroom',
    'pages); a chunk two pages share is listed under both and loads once. The training worker loads when',
    'the first run starts or predictions are first shown. gzip: node:zlib at its default level.',
    '',
    `Command: \`${command}\` (${measured})`,
    '',
    '| part | files | raw (KiB) | gzip (KiB) |',
    '|---|---|---:|---:|',
    row('**initial load**', report.initial),
    ...report.lazy.map((chunk) => row(`lazy: ${chunk.name}`, chunk.files)),
    ...report.workers.map((worker) => row('worker', [worker])),
    '',
  ].join('\n');
}
