// The Vulkan driver order of nodeGpu.ts, from described machines (pure: no Dawn, no files read).
// Which driver a real machine gets is printed by the CLI's adapter line and `mad selftest`.

import { describe, expect, it } from 'vitest';
import { dawnAttempts, type VulkanFiles } from './nodeGpu.ts';

const LVP = '/usr/share/vulkan/icd.d/lvp_icd.json';
const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';
const cpuMachine: VulkanFiles = { systemIcds: [LVP, '/usr/share/vulkan/icd.d/radeon_icd.json'], hasGpuNode: false, hasSwiftShader: true };
const drivers = (env: NodeJS.ProcessEnv, files: VulkanFiles, platform: NodeJS.Platform = 'linux'): string[] =>
  dawnAttempts(env, platform, files).map((a) => a.driver);

describe('dawnAttempts', () => {
  it('without a GPU: lavapipe, then SwiftShader, then the system drivers', () => {
    expect(drivers({}, cpuMachine)).toEqual([`lavapipe at ${LVP}`, `SwiftShader at ${SWIFTSHADER}`, 'the system Vulkan drivers']);
    expect(dawnAttempts({}, 'linux', cpuMachine).map((a) => a.icdFile)).toEqual([LVP, SWIFTSHADER, undefined]);
  });

  it("with a GPU device node the system's drivers come first, so a real GPU keeps its own", () => {
    expect(drivers({}, { ...cpuMachine, hasGpuNode: true })[0]).toBe('the system Vulkan drivers');
  });

  it('finds lavapipe under its upstream, per-architecture name and goes on to SwiftShader without it', () => {
    const upstream = '/usr/share/vulkan/icd.d/lvp_icd.x86_64.json';
    expect(drivers({}, { ...cpuMachine, systemIcds: [upstream] })[0]).toBe(`lavapipe at ${upstream}`);
    expect(drivers({}, { ...cpuMachine, systemIcds: ['/usr/share/vulkan/icd.d/intel_icd.json'] })[0]).toBe(`SwiftShader at ${SWIFTSHADER}`);
  });

  it("a user's VK_ICD_FILENAMES or VK_DRIVER_FILES is used as it is", () => {
    expect(drivers({ VK_ICD_FILENAMES: '/x.json' }, cpuMachine)).toEqual(['the default driver']);
    expect(drivers({ VK_DRIVER_FILES: '/x.json' }, cpuMachine)).toEqual(['the default driver']);
  });

  it('MAD_NODE_GPU forces one implementation, even over VK_ICD_FILENAMES', () => {
    expect(drivers({ MAD_NODE_GPU: 'swiftshader', VK_ICD_FILENAMES: LVP }, cpuMachine)).toEqual([`SwiftShader at ${SWIFTSHADER}`]);
    expect(drivers({ MAD_NODE_GPU: 'lavapipe' }, { ...cpuMachine, hasGpuNode: true })).toEqual([`lavapipe at ${LVP}`]);
  });

  it('MAD_NODE_GPU refuses an unknown name and a driver the machine lacks, saying what to do', () => {
    expect(() => dawnAttempts({ MAD_NODE_GPU: 'llvm' }, 'linux', cpuMachine)).toThrow(/MAD_NODE_GPU is 'llvm': set it to lavapipe or swiftshader/);
    expect(() => dawnAttempts({ MAD_NODE_GPU: 'lavapipe' }, 'linux', { ...cpuMachine, systemIcds: [] })).toThrow(
      /no lavapipe Vulkan driver: install mesa-vulkan-drivers 25/,
    );
    expect(() => dawnAttempts({ MAD_NODE_GPU: 'swiftshader' }, 'linux', { ...cpuMachine, hasSwiftShader: false })).toThrow(/install Debian's chromium/);
  });
});
