// compileGraph turns a traced Graph into a runnable step: one GPUBuffer per memory pool, all
// constant uniforms packed into one buffer, every pipeline fetched from the cache and every
// bind group created here, once. Running a step afterwards only records dispatches into a
// command encoder and submits it: no buffer, pipeline or bind group is created per step.

import type { KernelTarget } from '../config/kernelTarget.ts';
import type { PipelineCache } from '../gpu/pipelines.ts';
import { createBindGroup, createBuffer, submit } from '../gpu/stats.ts';
import type { Graph, InitialData } from './graph.ts';
import { align } from './graph.ts';
import type { Launch, Phase } from './launch.ts';
import type { Pool, Tensor } from './tensor.ts';

/**
 * The device, its pipeline cache and its adapter's kernel target: what compiling and running a
 * graph needs, and what tracing one for this device needs (new Graph(gpu.target)).
 */
export interface EngineGpu {
  readonly device: GPUDevice;
  readonly pipelines: PipelineCache;
  readonly target: KernelTarget;
}

const POOLS: Pool[] = ['param', 'paramGrad', 'activation', 'grad', 'optimizer', 'metric'];
const STEP_UNIFORM_BYTES = 256;

interface CompiledLaunch {
  label: string;
  phase: Phase;
  pipeline: GPUComputePipeline;
  bindGroup: GPUBindGroup;
  workgroups: readonly [number, number, number];
}

export class CompiledGraph {
  private readonly launches: CompiledLaunch[];

  constructor(
    readonly gpu: EngineGpu,
    readonly pools: Readonly<Record<Pool, GPUBuffer | null>>,
    readonly stepUniform: GPUBuffer,
    private readonly constantUniforms: GPUBuffer | null,
    launches: CompiledLaunch[],
  ) {
    this.launches = launches;
  }

  bufferOf(t: Tensor): GPUBuffer {
    const b = this.pools[t.pool];
    if (!b) throw new Error(`${t.label}: pool ${t.pool} has no buffer`);
    return b;
  }

  /** Writes the per-step uniform (≤ 256 bytes), read by launches bound to { kind: 'stepUniform' }. */
  writeStepUniform(data: ArrayBuffer): void {
    this.gpu.device.queue.writeBuffer(this.stepUniform, 0, data);
  }

  /** Uploads host data into a tensor (inputs, test fixtures). */
  write(t: Tensor, data: InitialData): void {
    if (data.length !== t.size) throw new Error(`${t.label}: writing ${data.length} values into ${t.size}`);
    this.gpu.device.queue.writeBuffer(this.bufferOf(t), t.offset, data.buffer, data.byteOffset, data.byteLength);
  }

  /** Clears the pools that hold per-step gradients. Call on the encoder before encodePhases. */
  encodeGradientClear(encoder: GPUCommandEncoder, { parameterGradients = true } = {}): void {
    const grad = this.pools.grad;
    if (grad) encoder.clearBuffer(grad);
    const paramGrad = this.pools.paramGrad;
    if (parameterGradients && paramGrad) encoder.clearBuffer(paramGrad);
  }

  /**
   * Records the launches of the given phases into one compute pass: phase by phase in the
   * order given, and within a phase in recording order.
   */
  encodePhases(encoder: GPUCommandEncoder, phases: readonly Phase[]): void {
    const pass = encoder.beginComputePass();
    // Loops, not inOrder(): this runs every step, and a step allocates nothing.
    for (const phase of phases) {
      for (const l of this.launches) if (l.phase === phase) dispatch(pass, l);
    }
    pass.end();
  }

  /** The launches encodePhases records for `phases`, in its order: what a per-launch profile reports. */
  launchesOf(phases: readonly Phase[]): { label: string; phase: Phase }[] {
    return this.inOrder(phases).map(({ label, phase }) => ({ label, phase }));
  }

  /**
   * Records the same launches as encodePhases, each in its own compute pass timed by `writes(i)`
   * for launch i of launchesOf(phases). A pass per launch costs more than one pass: for profiles
   * (bench/profile.ts), never for training.
   */
  encodeEachLaunch(encoder: GPUCommandEncoder, phases: readonly Phase[], writes: (index: number) => GPUComputePassTimestampWrites): void {
    this.inOrder(phases).forEach((l, i) => {
      const pass = encoder.beginComputePass({ timestampWrites: writes(i) });
      dispatch(pass, l);
      pass.end();
    });
  }

  /** encodePhases' order: phase by phase in the order given, and within a phase in recording order. */
  private inOrder(phases: readonly Phase[]): CompiledLaunch[] {
    return phases.flatMap((phase) => this.launches.filter((l) => l.phase === phase));
  }

  /** One submit: optional gradient clear, then the phases. */
  run(phases: readonly Phase[] = ['batchStart', 'forward', 'backward', 'batchEnd', 'update']): void {
    const encoder = this.gpu.device.createCommandEncoder();
    if (phases.includes('backward')) this.encodeGradientClear(encoder);
    this.encodePhases(encoder, phases);
    submit(this.gpu.device, [encoder.finish()]);
  }

  /**
   * Reads a tensor back (tests, checkpoints). Creates a staging buffer per call, so it is
   * not for the training loop; metrics there go through src/gpu's double-buffered readback.
   */
  async read(t: Tensor): Promise<Float32Array | Int32Array | Uint32Array> {
    const bytes = await readBuffer(this.gpu.device, this.bufferOf(t), t.offset, t.bytes, `read ${t.label}`);
    if (t.dtype === 'i32') return new Int32Array(bytes);
    if (t.dtype === 'u32') return new Uint32Array(bytes);
    return new Float32Array(bytes);
  }

  /** Bytes planned in a pool (0 when the graph has none). */
  poolBytes(pool: Pool): number {
    return this.pools[pool]?.size ?? 0;
  }

  /** A whole pool as f32 (checkpoints: parameters, optimizer state); not for the training loop. */
  async readPool(pool: Pool): Promise<Float32Array> {
    const buffer = this.pools[pool];
    if (!buffer) return new Float32Array(0);
    return new Float32Array(await readBuffer(this.gpu.device, buffer, 0, buffer.size, `read pool ${pool}`));
  }

  /** Overwrites a whole pool (restoring a checkpoint); the data must cover it exactly. */
  writePool(pool: Pool, data: Float32Array): void {
    const bytes = this.poolBytes(pool);
    if (data.byteLength !== bytes) throw new Error(`pool ${pool} holds ${bytes / 4} values, the data has ${data.length}: it was saved from another model`);
    if (bytes > 0) this.gpu.device.queue.writeBuffer(this.pools[pool]!, 0, data.buffer, data.byteOffset, data.byteLength);
  }

  destroy(): void {
    for (const b of Object.values(this.pools)) b?.destroy();
    this.stepUniform.destroy();
    this.constantUniforms?.destroy();
  }
}

/** Copies a buffer range out through a staging buffer created for the call (one submit); not for per-step use. */
function dispatch(pass: GPUComputePassEncoder, l: CompiledLaunch): void {
  pass.setPipeline(l.pipeline);
  pass.setBindGroup(0, l.bindGroup);
  pass.dispatchWorkgroups(l.workgroups[0], l.workgroups[1], l.workgroups[2]);
}

export async function readBuffer(device: GPUDevice, source: GPUBuffer, offset: number, bytes: number, label: string): Promise<ArrayBuffer> {
  const staging = createBuffer(device, { size: align(bytes, 4), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST, label });
  const encoder = device.createCommandEncoder();
  encoder.copyBufferToBuffer(source, offset, staging, 0, bytes);
  submit(device, [encoder.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const copy = staging.getMappedRange().slice(0);
  staging.unmap();
  staging.destroy();
  return copy;
}

export async function compileGraph(graph: Graph, gpu: EngineGpu): Promise<CompiledGraph> {
  const { device } = gpu;
  const maxBuffer = Math.min(device.limits.maxBufferSize, device.limits.maxStorageBufferBindingSize);
  const pools = {} as Record<Pool, GPUBuffer | null>;
  for (const pool of POOLS) {
    const bytes = graph.plannedBytes[pool];
    if (bytes === 0) {
      pools[pool] = null;
      continue;
    }
    if (bytes > maxBuffer) {
      throw new Error(
        `The model needs ${(bytes / 2 ** 20).toFixed(1)} MiB of ${pool} memory in one buffer, ` +
          `but this GPU allows ${(maxBuffer / 2 ** 20).toFixed(1)} MiB: use a smaller batch (micro-batches), ` +
          'a shorter sequence or a narrower model.',
      );
    }
    pools[pool] = createBuffer(device, {
      size: bytes,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
      label: `pool:${pool}`,
    });
  }

  // Every constant uniform of every launch goes into one buffer at aligned offsets.
  const uniformAlign = device.limits.minUniformBufferOffsetAlignment;
  let uniformBytes = 0;
  const uniformOffsets = new Map<ArrayBuffer, number>();
  for (const l of graph.launches) {
    for (const b of l.bindings) {
      if (b.kind === 'uniform' && !uniformOffsets.has(b.data)) {
        uniformOffsets.set(b.data, uniformBytes);
        uniformBytes = align(uniformBytes + Math.max(b.data.byteLength, 16), uniformAlign);
      }
    }
  }
  const uniformBuffer =
    uniformBytes > 0
      ? createBuffer(device, { size: uniformBytes, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST, label: 'uniforms' })
      : null;
  if (uniformBuffer) {
    const staging = new Uint8Array(uniformBytes);
    for (const [data, offset] of uniformOffsets) staging.set(new Uint8Array(data), offset);
    device.queue.writeBuffer(uniformBuffer, 0, staging);
  }
  const stepUniform = createBuffer(device, {
    size: STEP_UNIFORM_BYTES,
    usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
    label: 'step uniform',
  });

  for (const [t, data] of graph.initialData) {
    device.queue.writeBuffer(pools[t.pool]!, t.offset, data.buffer, data.byteOffset, data.byteLength);
  }

  const pipelines = await Promise.all(
    graph.launches.map((l) => gpu.pipelines.get({ code: l.source, entryPoint: l.entryPoint, constants: l.constants, label: l.label })),
  );
  for (const l of graph.launches) assertNoOverlappingBindings(l);
  const compiled = graph.launches.map((l: Launch, index): CompiledLaunch => {
    const pipeline = pipelines[index]!;
    const entries: GPUBindGroupEntry[] = l.bindings.map((b, binding) => {
      switch (b.kind) {
        case 'tensor': {
          const buffer = pools[b.tensor.pool];
          if (!buffer) throw new Error(`${l.label}: ${b.tensor.label} has no buffer`);
          return { binding, resource: { buffer, offset: b.tensor.offset, size: align(b.tensor.bytes, 4) } };
        }
        case 'uniform':
          return {
            binding,
            resource: { buffer: uniformBuffer!, offset: uniformOffsets.get(b.data)!, size: Math.max(b.data.byteLength, 16) },
          };
        case 'stepUniform':
          return { binding, resource: { buffer: stepUniform, offset: 0, size: STEP_UNIFORM_BYTES } };
        default:
          return b satisfies never;
      }
    });
    const bindGroup = createBindGroup(device, { layout: pipeline.getBindGroupLayout(0), entries, label: l.label });
    return { label: l.label, phase: l.phase, pipeline, bindGroup, workgroups: l.workgroups };
  });

  return new CompiledGraph(gpu, pools, stepUniform, uniformBuffer, compiled);
}

/**
 * WebGPU rejects a dispatch whose writable storage bindings overlap (and every binding here is
 * read_write, see shaders/README.md); the error would surface far away as a skipped dispatch,
 * so it is caught here with the names of the tensors involved.
 */
function assertNoOverlappingBindings(l: Launch): void {
  const tensors = l.bindings.flatMap((b) => (b.kind === 'tensor' ? [b.tensor] : []));
  for (let i = 0; i < tensors.length; i++) {
    for (let j = i + 1; j < tensors.length; j++) {
      const a = tensors[i]!;
      const b = tensors[j]!;
      if (a.pool === b.pool && a.offset < b.offset + b.bytes && b.offset < a.offset + a.bytes) {
        throw new Error(`${l.label}: bindings ${i} (${a}) and ${j} (${b}) overlap; one dispatch cannot bind a tensor twice`);
      }
    }
  }
}
