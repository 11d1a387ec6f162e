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
    // Vitest's default, one worker fewer than the cores, leaves a 2-core CI machine one worker.
    // Lavapipe's dispatches use both cores, but the rest of a GPU test (JavaScript, shader compiles)
    // uses one: on 2 cores with an empty shader cache the suite took 963 s with one worker (178% CPU)
    // and 871 s with two.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    reporters: ['default'],
    sequence: { sequencer: LongFilesFirst },
  },
});
