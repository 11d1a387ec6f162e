// "Download weights": a finished run's stored model as a .safetensors file under mad-lab's names
// (docs/weights.md), built in the weights worker, named after the run's mad-lab directory.
import { useState } from 'react';
import { runWeightsFile } from '../../runs/weightsClient.ts';
import type { RunView } from '../../state/runsStore.ts';
import { runDirNameOf } from '../../train/runKey.ts';

/** The run's mad-lab directory name (what `mad train --save-weights` writes beside), or its label when the plan has none. */
export function weightsFileName(run: Pick<RunView, 'label' | 'plan'>): string {
  let name: string;
  try {
    name = runDirNameOf(run.plan);
  } catch {
    name = run.label;
  }
  return `${name.replace(/[^\w.#-]+/g, '-')}.safetensors`;
}

function saveFile(bytes: Uint8Array, fileName: string): void {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  // The download has its own reference once started.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

export function DownloadWeightsButton({ run }: { run: Pick<RunView, 'runId' | 'label' | 'plan'> }) {
  const [state, setState] = useState<{ busy: boolean; problem: string | null }>({ busy: false, problem: null });
  const download = () => {
    setState({ busy: true, problem: null });
    runWeightsFile(run.runId).then(
      (bytes) => {
        saveFile(bytes, weightsFileName(run));
        setState({ busy: false, problem: null });
      },
      (error: unknown) => setState({ busy: false, problem: error instanceof Error ? error.message : String(error) }),
    );
  };
  return (
    <>
      <button type="button" className="button button-quiet" disabled={state.busy} aria-label={`Download the weights of ${run.label} (.safetensors)`} onClick={download}>
        {state.busy ? 'Preparing weights…' : 'Download weights (.safetensors)'}
      </button>
      {state.problem && (
        <span className="run-warning" role="alert" data-testid="weights-download-problem">
          No weights file: {state.problem}
        </span>
      )}
    </>
  );
}
