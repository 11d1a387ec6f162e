// Prints the Vulkan driver Node's WebGPU picks on this machine (src/gpu/nodeGpu.ts), e.g.
// "lavapipe at /usr/share/vulkan/icd.d/lvp_icd.json", or "none: …" without an adapter.
// scripts/test.sh uses it to say which implementation Vitest ran the kernel checks on.
import { nodeGpuDriver, requestNodeAdapter } from '../src/gpu/nodeGpu.ts';

const { adapter, tried } = await requestNodeAdapter({ powerPreference: 'high-performance' });
console.log(adapter ? nodeGpuDriver() : `none: no adapter (tried ${tried.join(', ')})`);
