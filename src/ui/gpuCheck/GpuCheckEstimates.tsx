// The GPU check page's "Estimates on this adapter": how long the Builder's model would train
// through the quick protocol and on each classroom demo's setting, at the training speed this
// check measured (every epoch counted, so early stopping makes real runs shorter).
import { useMemo } from 'react';
import { PROTOCOLS } from '../../config/protocolFiles.ts';
import { checkArchitecture, modelId } from '../../model/architecture.ts';
import { estimateText, NOT_MEASURED_TEXT } from '../../model/trainingTime.ts';
import { useBuilderStore } from '../../state/builderStore.ts';
import { protocolWorkload, runsWorkload } from '../../train/protocolCompute.ts';
import type { AdapterSpeed } from '../../worker/gpuCheckApi.ts';
import { DEMOS } from '../classroom/demos.ts';
import { demoPlans } from '../classroom/demoPlans.ts';

export function GpuCheckEstimates({ speed }: { speed: AdapterSpeed | null }) {
  const spec = useBuilderStore((state) => state.spec);
  const workloads = useMemo(() => {
    if (!checkArchitecture(spec).ok) return null;
    const demos = DEMOS.map((demo) => {
      const { setting, training } = demoPlans(demo, 'full')[0]!;
      return { demo, workload: runsWorkload([{ architecture: spec, setting, training }]) };
    });
    return { quick: protocolWorkload(PROTOCOLS.quick, spec), demos };
  }, [spec]);
  return (
    <section className="gpu-check-estimates" aria-labelledby="gpu-check-estimates-title" data-testid="gpu-check-estimates">
      <h2 id="gpu-check-estimates-title">Estimates on this adapter</h2>
      <p>
        {speed === null
          ? `Training speed ${NOT_MEASURED_TEXT}: it is measured after the checks pass.`
          : `Training speed: ${(speed.flopsPerSecond / 1e9).toFixed(1)} GFLOP/s plus ${(speed.stepOverheadSeconds * 1000).toFixed(1)} ms per step, measured on ${speed.reference}. Every epoch is counted; early stopping makes real runs shorter.`}
      </p>
      {workloads === null ? (
        <p>The Builder’s model has a problem to fix first.</p>
      ) : (
        <ul>
          <li>
            The Builder’s model ({modelId(spec)}) through the quick protocol: {estimateText(workloads.quick, speed)}
          </li>
          {workloads.demos.map(({ demo, workload }) => (
            <li key={demo.id}>
              The Builder’s model on the classroom demo “{demo.title}”: {estimateText(workload, speed)}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
