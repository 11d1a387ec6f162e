// The typed errors of the GPU layer. Each one carries a machine-readable field (kind, errorType,
// label) so the worker can forward it as plain data, and a message that a user can act on: one
// sentence saying what is missing and what to do, because these surface in the UI as they are.

/** Why WebGPU cannot be used, or can no longer be used. */
export type GpuUnavailableKind =
  | 'no-webgpu'
  | 'no-adapter'
  | 'limit-too-small'
  | 'missing-feature'
  | 'device-lost'
  | 'device-request-failed';

/** WebGPU is missing, too small, or the device went away; `message` says what to do. */
export class GpuUnavailableError extends Error {
  override readonly name = 'GpuUnavailableError';
  readonly kind: GpuUnavailableKind;

  constructor(kind: GpuUnavailableKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
  }
}

/** The three error filters of WebGPU error scopes and uncaptured errors. */
export type GpuErrorType = 'validation' | 'out-of-memory' | 'internal';

/** A WebGPU validation, out-of-memory or internal error, tagged with where it was caught. */
export class GpuCommandError extends Error {
  override readonly name = 'GpuCommandError';
  readonly errorType: GpuErrorType;

  constructor(errorType: GpuErrorType, where: string, gpuMessage: string, options?: { cause?: unknown }) {
    super(`WebGPU ${errorType} error in ${where}: ${gpuMessage.trim()}`, options);
    this.errorType = errorType;
  }
}

/** One compiler diagnostic, as GPUCompilationMessage reports it (1-based line and column). */
export interface ShaderMessage {
  readonly type: GPUCompilationMessageType;
  readonly line: number;
  readonly column: number;
  readonly text: string;
}

/** A shader that failed to compile or to link into a pipeline; the message quotes the source. */
export class ShaderCompileError extends Error {
  override readonly name = 'ShaderCompileError';
  readonly label: string;
  readonly messages: readonly ShaderMessage[];

  constructor(label: string, messages: readonly ShaderMessage[], code: string) {
    super(formatShaderMessages(label, messages, code));
    this.label = label;
    this.messages = messages;
  }
}

function formatShaderMessages(label: string, messages: readonly ShaderMessage[], code: string): string {
  const lines = code.split('\n');
  const errors = messages.filter((m) => m.type === 'error').length;
  const body = messages.map((m) => {
    const head = m.line > 0 ? `  ${label}:${m.line}:${m.column} ${m.type}: ${m.text}` : `  ${m.type}: ${m.text}`;
    const source = lines[m.line - 1];
    if (m.line <= 0 || source === undefined) return head;
    return `${head}\n    ${source}\n    ${' '.repeat(Math.max(0, m.column - 1))}^`;
  });
  return `WGSL shader "${label}" failed (${errors} error${errors === 1 ? '' : 's'}):\n${body.join('\n')}`;
}
