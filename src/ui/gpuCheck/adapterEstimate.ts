// A workload's time as the pages show it, from the training gate's state: the measured estimate
// once the GPU check has passed, "measuring…" while it runs, and "not measured yet" otherwise
// (never a figure from an assumed speed).
import { gateSpeed, type GpuGateState } from '../../runs/gpuCheckGate.ts';
import { estimateText, type Workload } from '../../model/trainingTime.ts';

export const MEASURING_TEXT = 'measuring…';

export function gateEstimateText(work: Workload, gate: GpuGateState): string {
  if (gate.status === 'unchecked' || gate.status === 'checking' || (gate.status === 'passed' && gate.measuringSpeed)) return MEASURING_TEXT;
  return estimateText(work, gateSpeed(gate));
}
