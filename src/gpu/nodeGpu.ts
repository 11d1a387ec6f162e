// Node-only: WebGPU from Dawn through the `webgpu` npm package. device.ts loads this module with a
// dynamic import only when it runs in Node, and this module loads `webgpu` through a non-literal
// specifier, so the browser bundle never pulls in the native addon. On Linux it also picks the
// Vulkan driver: the GPU's own when there is a GPU and it gives Dawn an adapter, else the
// SwiftShader CPU driver that Debian's chromium package ships, so `npm run mad` and Vitest work
// without wrapper scripts. A VK_ICD_FILENAMES or VK_DRIVER_FILES set by the user is respected.
//
// Event pumping: `webgpu` 0.6.x processes Dawn's events on Node's event loop by itself, so
// `mapAsync`, `onSubmittedWorkDone`, `popErrorScope` and `device.lost` resolve with a plain await
// (verified with a 70 ms SwiftShader dispatch); no polling of `device.tick()` is needed, and a
// process holding a device still exits when its work is done.

import { GpuUnavailableError } from './errors.ts';

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
const SYSTEM_ICD_DIRS = ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d'];

interface DawnModule {
  create(flags: string[]): GPU;
  globals: object;
}

/** One way to start Dawn: the driver to name in messages and the ICD file to point Vulkan at. */
interface DawnAttempt {
  readonly driver: string;
  readonly icdFile?: string;
}

export interface NodeAdapterResult {
  readonly adapter: GPUAdapter | null;
  /** The drivers tried, in order, for the error message when none gave an adapter. */
  readonly tried: readonly string[];
}

// Dawn's instance lives as long as its GPU object: keep the one that gave an adapter, and reuse it
// so later acquisitions do not switch drivers halfway through a process.
let chosenGpu: GPU | undefined;

export async function requestNodeAdapter(options: GPURequestAdapterOptions): Promise<NodeAdapterResult> {
  if (chosenGpu) return { adapter: await chosenGpu.requestAdapter(options), tried: [] };
  const dawn = await loadDawn();
  installGlobals(dawn.globals);
  // Vulkan's WSI layer warns on every create() when this is missing; compute does not need it.
  if (process.platform === 'linux') process.env.XDG_RUNTIME_DIR ??= process.env.TMPDIR ?? '/tmp';
  const flags = process.platform === 'linux' ? ['backend=vulkan'] : [];
  const tried: string[] = [];
  for (const attempt of dawnAttempts()) {
    // The Vulkan loader reads VK_ICD_FILENAMES when Dawn's instance is created, so a new create()
    // after setting it switches drivers.
    if (attempt.icdFile) process.env.VK_ICD_FILENAMES = attempt.icdFile;
    tried.push(attempt.driver);
    const gpu = dawn.create(flags);
    const adapter = await gpu.requestAdapter(options);
    if (adapter) {
      chosenGpu = gpu;
      return { adapter, tried };
    }
  }
  return { adapter: null, tried };
}

async function loadDawn(): Promise<DawnModule> {
  // A literal import('webgpu') would make Vite bundle the native addon into the browser build.
  const specifier = 'webgpu';
  try {
    return (await import(/* @vite-ignore */ specifier)) as DawnModule;
  } catch (cause) {
    throw new GpuUnavailableError(
      'no-webgpu',
      `Node has no WebGPU because the \`webgpu\` npm package did not load (${String(cause)}): run \`npm install\` in the MAD Lab folder.`,
      { cause },
    );
  }
}

// Browser code uses GPUBufferUsage, GPUMapMode, … as globals; Dawn exports them instead.
function installGlobals(globals: object): void {
  for (const [name, value] of Object.entries(globals)) {
    if (!(name in globalThis)) Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
  }
}

// A GPU's own driver comes first, so a real GPU keeps it. Without a GPU device node the system's
// ICDs are software rasterizers (Mesa's lavapipe, which Dawn rejects with a warning), so SwiftShader
// goes first there: the CPU driver the project documents and measures.
function dawnAttempts(): DawnAttempt[] {
  const env = process.env;
  if (process.platform !== 'linux' || env.VK_ICD_FILENAMES || env.VK_DRIVER_FILES) {
    return [{ driver: 'the default driver' }];
  }
  const fs = process.getBuiltinModule('node:fs');
  const listing = (dir: string): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir) : []);
  const system: DawnAttempt = { driver: 'the system Vulkan drivers' };
  const hasSystemIcd = SYSTEM_ICD_DIRS.some((dir) => listing(dir).some((name) => name.endsWith('.json')));
  const hasGpuNode =
    fs.existsSync('/dev/nvidiactl') ||
    fs.existsSync('/dev/dxg') ||
    listing('/dev/dri').some((name) => name.startsWith('renderD'));
  const attempts: DawnAttempt[] = [];
  if (hasSystemIcd && hasGpuNode) attempts.push(system);
  if (fs.existsSync(SWIFTSHADER_ICD)) {
    attempts.push({ driver: `SwiftShader at ${SWIFTSHADER_ICD}`, icdFile: SWIFTSHADER_ICD });
  }
  if (hasSystemIcd && !hasGpuNode) attempts.push(system);
  return attempts.length > 0 ? attempts : [{ driver: 'the default driver' }];
}
