import { describe, expect, it } from 'vitest';
import { userMessage } from './errorMessages.ts';

describe('userMessage', () => {
  it.each([
    ['Invalid typed array length: 16000000000', /^The run needs more memory than this process can allocate: use a shorter sequence, .* \(Invalid typed array length: 16000000000\)$/],
    ['Array buffer allocation failed', /^The run needs more memory than this process can allocate: .*\(Array buffer allocation failed\)$/],
    ['matmul: grid 1×625000×1 exceeds 65535 workgroups per dimension', /^A GPU dispatch needs more workgroups than the device allows: use a shorter sequence or a smaller batch \(matmul: grid 1×625000×1 exceeds 65535 workgroups per dimension\)$/],
    ['GPUOutOfMemoryError: Out of memory allocating pool:activation', /^The GPU ran out of memory: lower --memory-budget, .* \(GPUOutOfMemoryError: Out of memory allocating pool:activation\)$/],
  ])('turns %j into a sentence that says what to change', (raw, expected) => {
    expect(userMessage(raw)).toMatch(expected);
  });

  it('leaves every other message as it is', () => {
    expect(userMessage('--lr must be greater than 0, got 0')).toBe('--lr must be greater than 0, got 0');
  });
});
