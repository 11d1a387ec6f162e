// Live totals of the model: parameters, recurrent state, and one training step's GPU memory and
// FLOPs at MAD's batch of 128 sequences, counted at a vocabulary and length the user picks. The
// rows are always drawn (a dash while the model cannot be counted), so nothing jumps.
import { useBuilderStore } from '../../state/builderStore.ts';
import { NumberField } from '../common/NumberField.tsx';
import type { ModelFigures } from './builderCounts.ts';
import { formatBytes, formatCount, formatFlops } from './formatNumbers.ts';

interface TotalsProps {
  figures: ModelFigures;
}

interface StateSummary {
  value: string;
  detail: string;
}

/** Fixed-size recurrent state in floats, and the blocks (attention, long convolutions) whose state grows instead. */
function stateSummary(stateSizes: readonly (number | null)[]): StateSummary {
  const fixed = stateSizes.reduce<number>((sum, s) => sum + (s ?? 0), 0);
  const growing = stateSizes.filter((s) => s === null).length;
  if (growing === 0) return { value: `${formatCount(fixed)} floats`, detail: 'the fixed-size memory the model carries from token to token' };
  return {
    value: 'grows with length',
    detail: `${growing} block${growing === 1 ? ' keeps' : 's keep'} every past token (attention's KV cache, long convolutions)${fixed > 0 ? `, plus ${formatCount(fixed)} floats of fixed state` : ''}`,
  };
}

export function Totals({ figures }: TotalsProps) {
  const counting = useBuilderStore((state) => state.counting);
  const setCounting = useBuilderStore((state) => state.setCounting);
  const dash = '—';
  const count = figures.ok ? figures.count : null;
  const state = count ? stateSummary(count.layers.map((l) => l.stateSize)) : null;
  return (
    <section className="builder-panel totals" aria-labelledby="totals-title">
      <h2 id="totals-title" className="panel-title">
        Totals
      </h2>
      <div className="model-settings-row">
        <NumberField label="Vocabulary V" value={counting.vocabSize} onCommit={(vocabSize) => setCounting({ vocabSize })} testId="count-vocab" />
        <NumberField label="Length L" value={counting.seqLen} onCommit={(seqLen) => setCounting({ seqLen })} testId="count-length" />
      </div>
      <dl className="totals-list">
        <div>
          <dt>Parameters</dt>
          <dd data-testid="total-parameters">{count ? formatCount(count.total) : dash}</dd>
          <dd className="totals-detail">
            {count
              ? `layers ${formatCount(count.layers.reduce((n, l) => n + l.parameters, 0))} · embedding ${formatCount(count.embedding)} · norms ${formatCount(count.norms)} · head ${formatCount(count.head)}`
              : ' '}
          </dd>
        </div>
        <div>
          <dt>State per sequence</dt>
          <dd data-testid="total-state">{state ? state.value : dash}</dd>
          <dd className="totals-detail">{state ? state.detail : ' '}</dd>
        </div>
        <div>
          <dt>Memory per training step</dt>
          <dd data-testid="total-memory">{figures.ok ? formatBytes(figures.memory.totalBytes) : dash}</dd>
          <dd className="totals-detail">
            {figures.ok
              ? `batch ${figures.batchSize} × ${formatCount(figures.seqLen)} tokens: weights, gradients and AdamW ${formatBytes(figures.memory.parameterBytes)} · activations ${formatBytes(figures.memory.activationBytes)}`
              : ' '}
          </dd>
        </div>
        <div>
          <dt>FLOPs per step</dt>
          <dd data-testid="total-flops">{figures.ok ? formatFlops(figures.flops.total) : dash}</dd>
          <dd className="totals-detail">
            {figures.ok ? `≈ 6 × parameters × tokens ${figures.flops.attention > 0 ? `+ attention ${formatFlops(figures.flops.attention)}` : ''}` : ' '}
          </dd>
        </div>
      </dl>
      <p className="totals-problem" role="status">
        {figures.ok ? '' : figures.reason}
      </p>
    </section>
  );
}
