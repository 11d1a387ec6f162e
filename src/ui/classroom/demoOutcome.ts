// The one-line reading of a finished demo, from its runs' results: each model's test accuracy
// (MAD's, measured on the lowest-test-perplexity epoch, docs/protocol.md §6), e.g.
// "Test accuracy: attention 0.97 vs MLP 0.13".
import type { RunResult } from '../../train/types.ts';

export interface ModelOutcome {
  label: string;
  result: RunResult;
}

export function outcomeLine(outcomes: readonly ModelOutcome[]): string {
  const parts = outcomes.map(({ label, result }) =>
    result.status === 'diverged' ? `${label} diverged` : `${label} ${result.row.test_acc.toFixed(2)}`,
  );
  return `Test accuracy: ${parts.join(' vs ')}`;
}
