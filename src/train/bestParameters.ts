// A GPU-side copy of the parameters of the best epoch so far (the lowest test perplexity, spec
// §6): one buffer the size of the param pool, allocated when the run starts; saving and
// restoring are a copyBufferToBuffer each, so keeping the best weights costs no read-back.

import { readBuffer, type CompiledGraph } from '../engine/compile.ts';
import { createBuffer, submit } from '../gpu/stats.ts';

export class ParameterSnapshot {
  private constructor(
    private readonly compiled: CompiledGraph,
    private readonly params: GPUBuffer,
    private readonly copy: GPUBuffer,
  ) {}

  static create(compiled: CompiledGraph): ParameterSnapshot {
    const params = compiled.pools.param;
    if (!params) throw new Error('the model has no parameters to keep');
    const copy = createBuffer(compiled.gpu.device, {
      size: params.size,
      usage: GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
      label: 'best parameters',
    });
    return new ParameterSnapshot(compiled, params, copy);
  }

  /** Copies the current parameters in (one submit, after the work already queued). */
  save(): void {
    this.copyBetween(this.params, this.copy);
  }

  /** Puts the saved parameters back into the model. */
  restore(): void {
    this.copyBetween(this.copy, this.params);
  }

  /** The saved parameters, for a checkpoint. */
  async read(): Promise<Float32Array> {
    return new Float32Array(await readBuffer(this.compiled.gpu.device, this.copy, 0, this.copy.size, 'read best parameters'));
  }

  /** Sets the saved parameters (resuming from a checkpoint). */
  write(data: Float32Array): void {
    if (data.byteLength !== this.copy.size) throw new Error(`the saved best parameters hold ${data.length} values, the model has ${this.copy.size / 4}`);
    this.compiled.gpu.device.queue.writeBuffer(this.copy, 0, data.buffer, data.byteOffset, data.byteLength);
  }

  destroy(): void {
    this.copy.destroy();
  }

  private copyBetween(from: GPUBuffer, to: GPUBuffer): void {
    const encoder = this.compiled.gpu.device.createCommandEncoder();
    encoder.copyBufferToBuffer(from, 0, to, 0, from.size);
    submit(this.compiled.gpu.device, [encoder.finish()]);
  }
}
