import { describe, expect, it } from 'vitest';
import { RunCancelledError, RunControl } from './runControl.ts';

const settled = async (p: Promise<unknown>): Promise<string> => {
  const state = await Promise.race([p.then(() => 'resolved', () => 'rejected'), new Promise((r) => setTimeout(() => r('pending'), 10))]);
  return state as string;
};

describe('run control', () => {
  it('lets a running run go on, holds a paused one until resume, and rejects a cancelled one', async () => {
    const control = new RunControl();
    expect(control.mustWait).toBe(false);
    expect(await settled(control.wait())).toBe('resolved');

    control.pause();
    expect(control.isPaused).toBe(true);
    const held = control.wait();
    expect(await settled(held)).toBe('pending');
    control.resume();
    expect(await settled(held)).toBe('resolved');

    control.pause();
    const cancelledWhilePaused = control.wait();
    control.cancel('Stopped by the test.');
    await expect(cancelledWhilePaused).rejects.toThrow(new RunCancelledError('Stopped by the test.'));
    expect(control.isPaused).toBe(false);
    expect(control.mustWait).toBe(true);
  });
});
