// The GPU check worker: the app's kernel checks and benchmark on this browser's adapter, off the
// page's thread, on a device of its own. GpuCheckService holds the logic.

import { expose } from 'comlink';
import type { GpuCheckWorkerApi } from './gpuCheckApi.ts';
import { GpuCheckService } from './gpuCheckService.ts';

const api: GpuCheckWorkerApi = new GpuCheckService();

expose(api);
