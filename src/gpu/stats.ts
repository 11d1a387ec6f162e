// Per-device counters of the GPU objects and submits the engine creates, kept by thin wrappers that
// the whole engine uses instead of calling the device directly. They turn "allocate nothing per
// step" and "one submit per step" into checks: snapshot the counters after warm-up, run steps,
// and compare.

export interface GpuStats {
  readonly buffersCreated: number;
  readonly bufferBytesCreated: number;
  readonly bindGroupsCreated: number;
  readonly submits: number;
}

type MutableStats = { -readonly [K in keyof GpuStats]: GpuStats[K] };

const statsByDevice = new WeakMap<GPUDevice, MutableStats>();

function statsOf(device: GPUDevice): MutableStats {
  let stats = statsByDevice.get(device);
  if (!stats) {
    stats = { buffersCreated: 0, bufferBytesCreated: 0, bindGroupsCreated: 0, submits: 0 };
    statsByDevice.set(device, stats);
  }
  return stats;
}

/** A snapshot of the device's counters (a copy: later work does not change it). */
export function gpuStats(device: GPUDevice): GpuStats {
  return { ...statsOf(device) };
}

export function createBuffer(device: GPUDevice, descriptor: GPUBufferDescriptor): GPUBuffer {
  const stats = statsOf(device);
  stats.buffersCreated += 1;
  stats.bufferBytesCreated += descriptor.size;
  return device.createBuffer(descriptor);
}

export function createBindGroup(device: GPUDevice, descriptor: GPUBindGroupDescriptor): GPUBindGroup {
  statsOf(device).bindGroupsCreated += 1;
  return device.createBindGroup(descriptor);
}

export function submit(device: GPUDevice, commandBuffers: Iterable<GPUCommandBuffer>): void {
  statsOf(device).submits += 1;
  device.queue.submit(commandBuffers);
}
