import { defineConfig } from 'vitest/config';

// Unit tests run in Node. GPU tests use Dawn (npm `webgpu`) on whatever Vulkan driver
// the machine has; scripts/test.sh points it at SwiftShader when there is no GPU.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'bench/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
