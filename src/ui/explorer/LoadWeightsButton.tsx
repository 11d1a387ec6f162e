// "Load weights…": pick a .safetensors file; the weights worker checks it (size first, then the
// format and every tensor against the model its metadata records) and keeps its model, whose
// predictions the explorer then shows like a finished run's.
import { useRef, useState } from 'react';
import { loadWeightsFile } from '../../runs/weightsClient.ts';
import type { LoadedWeights } from '../../worker/weightsApi.ts';

interface LoadWeightsButtonProps {
  onLoaded: (weights: LoadedWeights) => void;
  onRefused: (reason: string) => void;
}

export function LoadWeightsButton({ onLoaded, onRefused }: LoadWeightsButtonProps) {
  const input = useRef<HTMLInputElement>(null);
  const [reading, setReading] = useState<string | null>(null);
  const read = (file: File) => {
    setReading(file.name);
    loadWeightsFile(file).then(
      (weights) => {
        setReading(null);
        onLoaded(weights);
      },
      (error: unknown) => {
        setReading(null);
        onRefused(error instanceof Error ? error.message : String(error));
      },
    );
  };
  return (
    <>
      <button type="button" className="button" disabled={reading !== null} onClick={() => input.current?.click()} title="Show the predictions of a model from a .safetensors weights file (mad train --save-weights, or Download weights on the Runs page)">
        {reading === null ? 'Load weights…' : `Reading ${reading}…`}
      </button>
      <input
        ref={input}
        type="file"
        accept=".safetensors"
        hidden
        aria-label="Weights file (.safetensors)"
        data-testid="weights-file-input"
        onChange={(event) => {
          const file = event.target.files?.[0];
          event.target.value = ''; // the same file can be picked again
          if (file) read(file);
        }}
      />
    </>
  );
}
