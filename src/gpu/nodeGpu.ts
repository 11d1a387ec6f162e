// Node-only: WebGPU from Dawn through the `webgpu` npm package. device.ts loads this module with a
// dynamic import only when it runs in Node, and this module loads `webgpu` through a non-literal
// specifier, so the browser bundle never pulls in the native addon. On Linux it also picks the
// Vulkan driver, so `npm run mad`, the benches and Vitest work without wrapper scripts:
//   1. the GPU's own driver, when a GPU device node exists and it gives Dawn an adapter;
//   2. Mesa's lavapipe (llvmpipe), the faster CPU implementation: Mesa 25 works with Dawn and runs a
//      training step about 4× faster than SwiftShader; Mesa 22.3 (Debian 12's own) gives no adapter
//      ("shaderUniform*ArrayDynamicIndexing required"), so it falls through to
//   3. SwiftShader, the CPU driver Debian's chromium ships (the browser tests' implementation);
//   4. the system's drivers, whatever they are.
// A VK_ICD_FILENAMES or VK_DRIVER_FILES set by the user is respected as it is. MAD_NODE_GPU=lavapipe
// or MAD_NODE_GPU=swiftshader forces one CPU implementation (CI runs the kernel checks on both).
// The adapter line the CLI prints names the one chosen (mesa / llvmpipe or google / swiftshader).
//
// Event pumping: `webgpu` 0.6.x processes Dawn's events on Node's event loop by itself, so
// `mapAsync`, `onSubmittedWorkDone`, `popErrorScope` and `device.lost` resolve with a plain await
// (verified with a 70 ms SwiftShader dispatch); no polling of `device.tick()` is needed, and a
// process holding a device still exits when its work is done.

import { GpuUnavailableError } from './errors.ts';

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
const SYSTEM_ICD_DIRS = ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d'];
// Debian names it lvp_icd.json; upstream Mesa and other distributions add the architecture.
const LAVAPIPE_ICD = /^lvp_icd(\.[\w-]+)?\.json$/;

/** The CPU implementations MAD_NODE_GPU can force. */
export const NODE_GPU_CHOICES = ['lavapipe', 'swiftshader'] as const;
export type NodeGpuChoice = (typeof NODE_GPU_CHOICES)[number];

interface DawnModule {
  create(flags: string[]): GPU;
  globals: object;
}

/** One way to start Dawn: the driver to name in messages and the ICD file to point Vulkan at. */
export interface DawnAttempt {
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
let chosenDriver: string | undefined;

/** The driver that gave this process its adapter ('lavapipe at …', 'SwiftShader at …', …), once chosen. */
export function nodeGpuDriver(): string | undefined {
  return chosenDriver;
}

export async function requestNodeAdapter(options: GPURequestAdapterOptions): Promise<NodeAdapterResult> {
  if (chosenGpu) return { adapter: await chosenGpu.requestAdapter(options), tried: [] };
  const attempts = dawnAttempts(process.env, process.platform, localVulkanFiles());
  const dawn = await loadDawn();
  installGlobals(dawn.globals);
  // Vulkan's WSI layer warns on every create() when this is missing; compute does not need it.
  if (process.platform === 'linux') process.env.XDG_RUNTIME_DIR ??= process.env.TMPDIR ?? '/tmp';
  const flags = process.platform === 'linux' ? ['backend=vulkan'] : [];
  const tried: string[] = [];
  for (const attempt of attempts) {
    // The Vulkan loader reads VK_ICD_FILENAMES when Dawn's instance is created, so a new create()
    // after setting it switches drivers. VK_DRIVER_FILES would override it (a forced choice only;
    // otherwise a user's setting made the list a single attempt without icdFile).
    if (attempt.icdFile) {
      process.env.VK_ICD_FILENAMES = attempt.icdFile;
      delete process.env.VK_DRIVER_FILES;
    } else if (attempts.length > 1) {
      delete process.env.VK_ICD_FILENAMES; // set by an earlier attempt of this loop
    }
    tried.push(attempt.driver);
    const gpu = dawn.create(flags);
    const adapter = await gpu.requestAdapter(options);
    if (adapter) {
      chosenGpu = gpu;
      chosenDriver = attempt.driver;
      return { adapter, tried };
    }
  }
  return { adapter: null, tried };
}

/** What dawnAttempts needs to know about the machine's Vulkan files and devices. */
export interface VulkanFiles {
  /** The ICD files found in the system's ICD folders, as full paths. */
  readonly systemIcds: readonly string[];
  readonly hasGpuNode: boolean;
  readonly hasSwiftShader: boolean;
}

function localVulkanFiles(): VulkanFiles {
  if (process.platform !== 'linux') return { systemIcds: [], hasGpuNode: false, hasSwiftShader: false };
  const fs = process.getBuiltinModule('node:fs');
  const listing = (dir: string): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir) : []);
  return {
    systemIcds: SYSTEM_ICD_DIRS.flatMap((dir) => listing(dir).filter((name) => name.endsWith('.json')).map((name) => `${dir}/${name}`)),
    hasGpuNode:
      fs.existsSync('/dev/nvidiactl') ||
      fs.existsSync('/dev/dxg') ||
      listing('/dev/dri').some((name) => name.startsWith('renderD')),
    hasSwiftShader: fs.existsSync(SWIFTSHADER_ICD),
  };
}

/**
 * The drivers to try, in order (see the header). A GPU's own driver comes first, so a real GPU
 * keeps it; then the CPU implementations, fastest first; the system's drivers without a GPU come
 * last (an old lavapipe or other rasterizers that Dawn may reject).
 */
export function dawnAttempts(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, files: VulkanFiles): DawnAttempt[] {
  const forced = env.MAD_NODE_GPU;
  const lavapipe = files.systemIcds
    .filter((path) => LAVAPIPE_ICD.test(path.slice(path.lastIndexOf('/') + 1)))
    .map((icdFile) => ({ driver: `lavapipe at ${icdFile}`, icdFile }));
  const swiftshader = files.hasSwiftShader ? [{ driver: `SwiftShader at ${SWIFTSHADER_ICD}`, icdFile: SWIFTSHADER_ICD }] : [];
  if (forced !== undefined && forced !== '') {
    if (!(NODE_GPU_CHOICES as readonly string[]).includes(forced)) {
      throw new GpuUnavailableError('no-adapter', `MAD_NODE_GPU is '${forced}': set it to ${NODE_GPU_CHOICES.join(' or ')}, or leave it unset to choose automatically.`);
    }
    const chosen = forced === 'lavapipe' ? lavapipe : swiftshader;
    if (platform !== 'linux' || chosen.length === 0) {
      const install = forced === 'lavapipe' ? 'mesa-vulkan-drivers 25 or newer (`npm run setup` installs it where Debian offers it)' : "Debian's chromium package";
      throw new GpuUnavailableError('no-adapter', `MAD_NODE_GPU=${forced}, but this machine has no ${forced} Vulkan driver: install ${install}, or unset MAD_NODE_GPU.`);
    }
    return chosen;
  }
  if (platform !== 'linux' || env.VK_ICD_FILENAMES || env.VK_DRIVER_FILES) return [{ driver: 'the default driver' }];
  const system: DawnAttempt = { driver: 'the system Vulkan drivers' };
  const hasSystemIcd = files.systemIcds.length > 0;
  const attempts: DawnAttempt[] = [];
  if (hasSystemIcd && files.hasGpuNode) attempts.push(system);
  attempts.push(...lavapipe, ...swiftshader);
  if (hasSystemIcd && !files.hasGpuNode) attempts.push(system);
  return attempts.length > 0 ? attempts : [{ driver: 'the default driver' }];
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
