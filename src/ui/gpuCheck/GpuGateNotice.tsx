// Under a Run button: that the GPU check is running before the first run, or why training is
// blocked (the failing kernels named) with a link to the GPU check page's full report.
import { gateBlockMessage, type GpuGateState } from '../../runs/gpuCheckGate.ts';
import { pageHref } from '../layout/useHashRoute.ts';
import { GPU_CHECK_PAGE_ID } from './gpuCheckPageId.ts';
import './gpuCheck.css';

export function GpuGateNotice({ gate }: { gate: GpuGateState }) {
  const blocked = gateBlockMessage(gate);
  if (blocked !== null) {
    return (
      <p className="launcher-problems gpu-gate-blocked" role="alert" data-testid="gpu-gate-blocked">
        {blocked} <a href={pageHref(GPU_CHECK_PAGE_ID)}>Open the GPU check</a> for the full report to attach to an issue.
      </p>
    );
  }
  if (gate.status === 'checking') {
    return (
      <p className="launcher-note" role="status">
        Checking this GPU’s kernels before the first run{gate.total > 0 ? ` (${gate.done} of ${gate.total})` : ''}…
      </p>
    );
  }
  return null;
}
