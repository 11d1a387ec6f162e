// The device bundle (scripts/deviceBundle.sh runs this): everything `npm run report` needs on a
// machine that receives only this folder, with no package registry and perhaps no Node, in an
// ignored folder (.device/) the device tool can carry (64 MiB with the working tree):
//   app/js/{report,bench,mad}.mjs   the report, the benches and the CLI, each bundled into one file by
//                                   esbuild; two levels down, so the sources' '../../configs' and
//                                   '../../shaders' find the copies below, as they find the repository's
//   app/js/torch/*.py               bench/step.ts's PyTorch twin ('./torch/step_twin.py' beside it)
//   configs/, shaders/              read from disk at run time
//   node_modules/webgpu             Dawn: index.js and the linux-x64 dawn.node, gzipped (loaded by a non-literal import)
//   node_modules/@tensorflow/tfjs-core/dist/register_all_gradients.js
//                                   TF.js's gradients, bundled (tfjsBaseline.ts imports them by a non-literal path)
//   bin/node.gz                     this machine's Node, stripped and gzipped (run.sh unpacks it)
//   lib/                            the Vulkan loader and glvnd's dispatch libraries (Debian's libvulkan1,
//                                   libglvnd0, libglx0), which NVIDIA's Vulkan driver loads through
//   run.sh                          scripts/deviceRun.sh: unpacks the bundle into a temporary folder and runs
//                                   the report there in a time budget, into $OUT
// Node and dawn.node are gzipped (gzip is on every Debian and Ubuntu): unpacked, the bundle is ~140 MiB.

import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MIB = 1024 * 1024;
/** What the device tool carries, working tree included; the tree is a few MiB. */
export const CARRY_LIMIT_MIB = 64;
const WARN_ABOVE_MIB = 52;

/** The bundled entry points, by the file name the report and bench/step.ts look for beside them. */
export const BUNDLE_ENTRIES = { 'report.mjs': 'bench/machineReport.ts', 'bench.mjs': 'bench/main.ts', 'mad.mjs': 'src/cli/mad.ts' } as const;
export const JS_DIR = 'app/js';
export const DAWN_NODE = 'node_modules/webgpu/dist/linux-x64/dawn.node';

/** A file or folder copied into the bundle as it is: [from (absolute), to (relative to the bundle)]. */
export type Copy = readonly [string, string];

/** The system library files the bundle takes, with the Debian package each comes from. */
export const SYSTEM_LIBS = [
  { file: '/usr/lib/x86_64-linux-gnu/libvulkan.so.1', pkg: 'libvulkan1' },
  { file: '/usr/lib/x86_64-linux-gnu/libGLdispatch.so.0', pkg: 'libglvnd0' },
  { file: '/usr/lib/x86_64-linux-gnu/libGLX.so.0', pkg: 'libglx0' },
] as const;

/** Everything copied as it is (the bundles, node.gz and run.sh are made), resolved on this machine. */
export function bundleCopies(root = ROOT): Copy[] {
  const at = (p: string): string => join(root, p);
  const webgpu = at('node_modules/webgpu');
  return [
    [at('configs'), 'configs'],
    [at('shaders'), 'shaders'],
    ...readdirSync(at('bench/torch'))
      .filter((f) => f.endsWith('.py'))
      .map((f): Copy => [at(`bench/torch/${f}`), `${JS_DIR}/torch/${f}`]),
    [join(webgpu, 'package.json'), 'node_modules/webgpu/package.json'],
    [join(webgpu, 'index.js'), 'node_modules/webgpu/index.js'],
    [join(webgpu, 'dist/linux-x64/dawn.node'), DAWN_NODE],
    [at('scripts/deviceRun.sh'), 'run.sh'],
  ];
}

const systemCopies = (): Copy[] => SYSTEM_LIBS.map(({ file }): Copy => [file, `lib/${basename(file)}`]);

/** The repository's inputs that are missing: the entries and the files copied from the repository. */
export function missingInputs(root = ROOT): string[] {
  return [...Object.values(BUNDLE_ENTRIES).map((e) => join(root, e)), ...bundleCopies(root).map(([from]) => from)].filter((p) => !existsSync(p));
}

// bench/step.ts starts its per-implementation children from './main.ts' beside it; bundled, that
// file is bench.mjs. Replaced once, and the build fails if the line ever changes.
const STEP_CHILD = "new URL('./main.ts', import.meta.url)";
const stepChildPlugin: Plugin = {
  name: 'step-child-entry',
  setup(b) {
    b.onLoad({ filter: /bench[\\/]step\.ts$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (text.split(STEP_CHILD).length !== 2) throw new Error(`bench/step.ts no longer has exactly one ${STEP_CHILD}: update ${relative(ROOT, fileURLToPath(import.meta.url))}`);
      return { contents: text.replace(STEP_CHILD, "new URL('./bench.mjs', import.meta.url)"), loader: 'ts' };
    });
  },
};

// CommonJS packages inside the ESM bundle (tfjs-core's Node build) call require for Node's builtins.
const REQUIRE_BANNER = "import { createRequire as __madCreateRequire } from 'node:module'; const require = __madCreateRequire(import.meta.url);";

async function bundle(entry: string, outfile: string, plugins: Plugin[] = []): Promise<void> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['webgpu'],
    banner: { js: REQUIRE_BANNER },
    logLevel: 'warning',
    plugins,
  });
}

function sizeOf(path: string): number {
  const s = statSync(path);
  return s.isDirectory() ? readdirSync(path).reduce((sum, f) => sum + sizeOf(join(path, f)), 0) : s.size;
}

export async function buildBundle(dest: string): Promise<number> {
  const missing = [...missingInputs(), ...systemCopies().map(([from]) => from).filter((p) => !existsSync(p))];
  if (missing.length > 0) throw new Error(`missing inputs (npm install? the Debian packages ${SYSTEM_LIBS.map((l) => l.pkg).join(', ')}?): ${missing.join(', ')}`);
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(join(dest, JS_DIR), { recursive: true });
  for (const [name, entry] of Object.entries(BUNDLE_ENTRIES)) {
    await bundle(join(ROOT, entry), join(dest, JS_DIR, name), name === 'bench.mjs' ? [stepChildPlugin] : []);
  }
  const gradients = join(dest, 'node_modules/@tensorflow/tfjs-core');
  await bundle(join(ROOT, 'node_modules/@tensorflow/tfjs-core/dist/register_all_gradients.js'), join(gradients, 'dist/register_all_gradients.js'));
  writeFileSync(join(gradients, 'package.json'), `${JSON.stringify({ name: '@tensorflow/tfjs-core', type: 'module' })}\n`);
  for (const [from, to] of [...bundleCopies(), ...systemCopies()]) {
    mkdirSync(dirname(join(dest, to)), { recursive: true });
    if (statSync(from).isDirectory()) cpSync(from, join(dest, to), { recursive: true });
    else copyFileSync(from, join(dest, to));
  }
  chmodSync(join(dest, 'run.sh'), 0o755);
  // Node ships with its debug info (~99 MB): stripped and gzipped it is about a third.
  mkdirSync(join(dest, 'bin'), { recursive: true });
  const node = join(dest, 'bin/node');
  copyFileSync(process.execPath, node);
  execFileSync('strip', [node]);
  execFileSync('gzip', ['-9', node, join(dest, DAWN_NODE)]);
  const versions = [`node ${process.version}`, ...SYSTEM_LIBS.map((l) => `${l.pkg} ${debianVersion(l.pkg)}`)];
  writeFileSync(join(dest, 'VERSIONS'), `${versions.join('\n')}\n`);
  return sizeOf(dest);
}

function debianVersion(pkg: string): string {
  try {
    return execFileSync('dpkg-query', ['-W', '-f', '${Version}', pkg], { encoding: 'utf8' });
  } catch {
    return 'unknown';
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dest = resolve(ROOT, process.argv[2] ?? '.device');
  const bytes = await buildBundle(dest);
  const mib = bytes / MIB;
  console.log(`wrote ${relative(process.cwd(), dest) || dest}: ${mib.toFixed(1)} MiB (the device tool carries ${CARRY_LIMIT_MIB} MiB with the working tree)`);
  if (mib > WARN_ABOVE_MIB) console.error(`warning: over ${WARN_ABOVE_MIB} MiB, little room is left for the working tree`);
}
