// A worker's device: one acquisition shared by every request, forgotten on loss (with its owners
// told) or on a failed acquisition, and kept through uncaptured errors, which end runs, not devices.
import { describe, expect, it } from 'vitest';
import type { EngineGpu } from '../engine/compile.ts';
import type { DeviceProblem } from '../gpu/deviceErrors.ts';
import { GpuCommandError, GpuUnavailableError } from '../gpu/errors.ts';
import { WorkerDevice, type WorkerGpu } from './workerDevice.ts';

function fakeDevices({ failFirst = false } = {}) {
  const watchers: ((problem: DeviceProblem) => void)[][] = [];
  let acquisitions = 0;
  const device = new WorkerDevice(async (): Promise<WorkerGpu> => {
    acquisitions++;
    if (failFirst && acquisitions === 1) throw new GpuUnavailableError('no-adapter', 'no adapter');
    const mine: ((problem: DeviceProblem) => void)[] = [];
    watchers.push(mine);
    return {
      gpu: { label: `device ${acquisitions}` } as unknown as EngineGpu,
      watch: (onProblem) => {
        mine.push(onProblem);
        return () => mine.splice(mine.indexOf(onProblem), 1);
      },
    };
  });
  const label = async () => ((await device.acquire()).gpu as unknown as { label: string }).label;
  const tell = (index: number, problem: DeviceProblem) => [...watchers[index]!].forEach((watch) => watch(problem));
  return { device, label, tell, watchers, acquisitions: () => acquisitions };
}

const loss = () => new GpuUnavailableError('device-lost', 'The GPU device "t" was lost (unknown: reset): reload the page.');

describe('WorkerDevice', () => {
  it('acquires once for every request until the device is lost, tells its owners, then acquires a new one', async () => {
    const { device, label, tell, watchers, acquisitions } = fakeDevices();
    const heard: string[] = [];
    device.onLoss((problem) => heard.push(problem.message));
    expect(await Promise.all([label(), label()])).toEqual(['device 1', 'device 1']);
    expect(acquisitions()).toBe(1);

    tell(0, new GpuCommandError('validation', 'a dispatch', 'bad binding'));
    expect(await label()).toBe('device 1');
    expect(heard).toEqual([]);

    tell(0, loss());
    expect(heard).toEqual([loss().message]);
    expect(await label()).toBe('device 2');
    expect(acquisitions()).toBe(2);
    // The lost device's watch is stopped: a second report of it changes nothing.
    await Promise.resolve();
    expect(watchers[0]).toHaveLength(0);
    expect(await label()).toBe('device 2');
  });

  it('tries again after a failed acquisition instead of failing every request after it', async () => {
    const { device, label, acquisitions } = fakeDevices({ failFirst: true });
    await expect(device.acquire()).rejects.toThrow('no adapter');
    expect(await label()).toBe('device 2');
    expect(acquisitions()).toBe(2);
  });
});
