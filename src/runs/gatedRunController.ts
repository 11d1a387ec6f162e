// The run controller behind the training gate: runs a page load would resume (interrupted or still
// queued) train on this adapter as launched ones do, so they wait for the gate's verdict
// (gpuCheckGate.ts) first. With nothing to resume the controller starts at once, and the gate runs
// before the first launch instead. A blocked gate lists the stored runs without resuming any and
// says why; a later call (e.g. the Runs page mounting after the GPU check page's pass) tries again.

import { planRestore } from '../storage/runRecords.ts';
import { RunStore } from '../storage/runStore.ts';
import { ensureGpuChecked, gateBlockMessage } from './gpuCheckGate.ts';
import { startRunController, type RunController, type RunLedger } from './runController.ts';

let started: Promise<RunController> | null = null;

export function startGatedRunController(ledger: RunLedger): Promise<RunController> {
  started ??= (async () => {
    // A store that cannot be read is the controller's to report (runnerFailed), as without the gate.
    const store = await RunStore.open().catch(() => null);
    const stored = (await store?.listRuns().catch(() => null)) ?? [];
    const { restart, interrupted } = planRestore(stored);
    if (store !== null && restart.length > 0) {
      const blocked = gateBlockMessage(await ensureGpuChecked());
      if (blocked !== null) {
        ledger.sweepsLoaded(await store.listSweeps());
        ledger.runsLoaded(stored, interrupted);
        const problem = `${blocked} ${restart.length === 1 ? 'The interrupted run was' : `${restart.length} interrupted or queued runs were`} not resumed.`;
        ledger.runnerFailed(problem);
        started = null;
        throw new Error(problem);
      }
    }
    return startRunController(ledger);
  })();
  return started;
}
