// Compute pipeline cache. The key is what the GPU compiles: the final WGSL text, the entry point
// and the override constants, never a hand-made name that could go stale when someone adds a
// shader variant (the tfjs shaderKey trap). Each source becomes one shader module, shared by all
// its variants. Compile and link failures become a ShaderCompileError that quotes the compiler's
// messages against the source lines, under the shader's label.

import { ShaderCompileError, type ShaderMessage } from './errors.ts';

export interface ComputePipelineSpec {
  /** The final WGSL source, after any text substitution. */
  readonly code: string;
  /** Default 'main'. */
  readonly entryPoint?: string;
  /** Values for the shader's `override` declarations. */
  readonly constants?: Readonly<Record<string, number>>;
  /** Names the shader in errors and debuggers; not part of the key (the first label wins). */
  readonly label?: string;
}

export interface PipelineCacheStats {
  readonly modules: number;
  readonly pipelines: number;
  readonly hits: number;
  readonly misses: number;
}

export class PipelineCache {
  private readonly device: GPUDevice;
  // Promises, so concurrent requests for one shader share a single compilation.
  private readonly modules = new Map<string, Promise<GPUShaderModule>>();
  private readonly pipelines = new Map<string, Map<string, Promise<GPUComputePipeline>>>();
  private counts = { modules: 0, pipelines: 0, hits: 0, misses: 0 };

  constructor(device: GPUDevice) {
    this.device = device;
  }

  /** The pipeline for this source, entry point and constants, compiled on first request. */
  get(spec: ComputePipelineSpec): Promise<GPUComputePipeline> {
    const entryPoint = spec.entryPoint ?? 'main';
    const variants = this.variantsOf(spec.code);
    const key = variantKey(entryPoint, spec.constants);
    const cached = variants.get(key);
    if (cached) {
      this.counts.hits += 1;
      return cached;
    }
    this.counts.misses += 1;
    const pipeline = this.createPipeline(spec, entryPoint);
    variants.set(key, pipeline);
    // A failure is not cached, so a caller may retry (after a device loss, say).
    pipeline.catch(() => variants.delete(key));
    return pipeline;
  }

  get stats(): PipelineCacheStats {
    return { ...this.counts };
  }

  private variantsOf(code: string): Map<string, Promise<GPUComputePipeline>> {
    let variants = this.pipelines.get(code);
    if (!variants) {
      variants = new Map();
      this.pipelines.set(code, variants);
    }
    return variants;
  }

  private async createPipeline(spec: ComputePipelineSpec, entryPoint: string): Promise<GPUComputePipeline> {
    const label = spec.label ?? 'unlabelled shader';
    const module = await this.shaderModule(spec.code, label);
    try {
      const pipeline = await this.device.createComputePipelineAsync({
        label: `${label}:${entryPoint}`,
        layout: 'auto',
        compute: { module, entryPoint, constants: { ...spec.constants } },
      });
      this.counts.pipelines += 1;
      return pipeline;
    } catch (cause) {
      // Link-time failures: unknown entry point or constant, resource limits exceeded, …
      const text = (cause instanceof Error ? cause.message : String(cause)).trim();
      throw new ShaderCompileError(label, [{ type: 'error', line: 0, column: 0, text }], spec.code);
    }
  }

  private shaderModule(code: string, label: string): Promise<GPUShaderModule> {
    const cached = this.modules.get(code);
    if (cached) return cached;
    const module = this.compile(code, label);
    this.modules.set(code, module);
    module.catch(() => this.modules.delete(code));
    return module;
  }

  private async compile(code: string, label: string): Promise<GPUShaderModule> {
    // The scope keeps a bad shader from also surfacing as an uncaptured error far from here.
    this.device.pushErrorScope('validation');
    const module = this.device.createShaderModule({ label, code });
    const scopeError = await this.device.popErrorScope();
    const info = await module.getCompilationInfo();
    const messages: ShaderMessage[] = info.messages.map((m) => ({
      type: m.type,
      line: m.lineNum,
      column: m.linePos,
      text: m.message,
    }));
    if (messages.some((m) => m.type === 'error')) throw new ShaderCompileError(label, messages, code);
    if (scopeError) {
      throw new ShaderCompileError(label, [{ type: 'error', line: 0, column: 0, text: scopeError.message }], code);
    }
    this.counts.modules += 1;
    return module;
  }
}

function variantKey(entryPoint: string, constants: Readonly<Record<string, number>> = {}): string {
  const sorted = Object.keys(constants)
    .sort()
    .map((name) => `${name}=${constants[name]}`);
  return `${entryPoint}(${sorted.join(',')})`;
}
