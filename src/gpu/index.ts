// The public surface of the GPU layer, for the engine and the CLI. nodeGpu.ts is left out on
// purpose: device.ts loads it on demand in Node, and the browser bundle must never reach it.

export { acquireGpu, detectRuntime } from './device.ts';
export type { AcquireOptions, AdapterSummary, GpuContext, GpuLimits, GpuRuntime } from './device.ts';
export { GpuCommandError, GpuUnavailableError, ShaderCompileError } from './errors.ts';
export type { GpuErrorType, GpuUnavailableKind, ShaderMessage } from './errors.ts';
export { OPTIONAL_FEATURES, RAISED_LIMITS, REQUIRED_LIMITS } from './requirements.ts';
export type { LimitName, LimitRequirement } from './requirements.ts';
export { createBindGroup, createBuffer, gpuStats, submit } from './stats.ts';
export type { GpuStats } from './stats.ts';
export { BufferArena, alignUp } from './arena.ts';
export type { ArenaMark, ArenaOptions, ArenaSlice, ArenaStats } from './arena.ts';
export { PipelineCache } from './pipelines.ts';
export type { ComputePipelineSpec, PipelineCacheStats } from './pipelines.ts';
export { defineUniformStruct } from './uniforms.ts';
export type {
  ScalarType,
  UniformField,
  UniformFieldType,
  UniformFields,
  UniformStruct,
  UniformValues,
} from './uniforms.ts';
export { Readback } from './readback.ts';
export type { ReadbackFormat, ReadbackFormats } from './readback.ts';
export { TimestampTimer, createTimestampTimer, timeSubmits } from './timing.ts';
export type { TimerUnavailable, WallClockTiming } from './timing.ts';
export { watchDevice, withErrorScope } from './deviceErrors.ts';
export type { DeviceProblem } from './deviceErrors.ts';
