import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Files that train models for minutes on a CPU adapter (lavapipe or SwiftShader), longest first. They start before everything
 * else: a fresh clone has no duration cache, and Vitest would otherwise order files by size and
 * could leave a long file to run alone at the end.
 */
const LONG_FILES = [
  'src/train/deltaNetNoisyRecall.test.ts',
  'src/train/attentionRecall.test.ts',
  'src/train/layersLearn.test.ts',
  'src/train/mamba2Learns.test.ts',
  'src/train/deltaRuleLearns.test.ts',
];

class LongFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification): number => {
      const i = LONG_FILES.findIndex((name) => file.moduleId.endsWith(name));
      return i < 0 ? LONG_FILES.length : i;
    };
    // Array.prototype.sort is stable: the rest keep the base order.
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

// Unit tests run in Node. GPU tests use Dawn (npm `webgpu`) on whatever Vulkan driver
// the machine has; without a GPU, Mesa's lavapipe where installed, else SwiftShader (src/gpu/nodeGpu.ts).
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'bench/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest's default, one worker fewer than the cores, leaves a 2-core CI machine one worker, but a
    // GPU test on a CPU adapter keeps only about one core busy (JavaScript, the driver's shader
    // compiler, its dispatches). On 2 cores, two workers ran the suite in 377 s while its files' own
    // times summed to 636 s, which is what one worker takes at least (Mesa's shader cache warm).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    reporters: ['default'],
    sequence: { sequencer: LongFilesFirst },
  },
});
