// The three ways out of a chart: PNG, SVG and the plotted data as CSV. A failure says what to do
// instead, next to the buttons.
import { useState, type RefObject } from 'react';
import { downloadText } from '../builder/download.ts';
import { downloadPng, downloadSvg } from './chartExport.ts';

interface ChartExportButtonsProps {
  figure: RefObject<HTMLElement | null>;
  /** File name without extension. */
  baseName: string;
  csv: () => string;
  /** What the buttons save, for their accessible names ("the comparison chart"). */
  what: string;
}

export function ChartExportButtons({ figure, baseName, csv, what }: ChartExportButtonsProps) {
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <div className="chart-export">
      <button type="button" className="button" aria-label={`Download ${what} as PNG`} onClick={async () => setProblem(await downloadPng(figure.current, `${baseName}.png`))}>
        PNG
      </button>
      <button type="button" className="button" aria-label={`Download ${what} as SVG`} onClick={() => setProblem(downloadSvg(figure.current, `${baseName}.svg`))}>
        SVG
      </button>
      <button
        type="button"
        className="button"
        aria-label={`Download the data of ${what} as CSV`}
        onClick={() => {
          downloadText(`${baseName}.csv`, csv(), 'text/csv');
          setProblem(null);
        }}
      >
        CSV
      </button>
      {problem && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}
