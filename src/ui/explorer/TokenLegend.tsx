// Which colour means which role (with this example's counts), how a scored position looks, and,
// while a run's predictions are shown, how right and wrong predictions look (with their counts).
import type { MarkCounts } from './predictionMarks.ts';
import type { RoleCount } from './tokenRoles.ts';
import { ROLE_LABELS } from './tokenRoles.ts';

interface TokenLegendProps {
  roleCounts: readonly RoleCount[];
  /** Right predictions of the scored positions, or null while no predictions are shown. */
  predictionCounts: MarkCounts | null;
}

export function TokenLegend({ roleCounts, predictionCounts }: TokenLegendProps) {
  return (
    <ul className="token-legend" aria-label="Legend" data-testid="token-legend">
      {roleCounts.map(({ role, count }) => (
        <li key={role} className="legend-item">
          <span className={`legend-swatch token-cell role-${role}`} aria-hidden="true" />
          {ROLE_LABELS[role]} <span className="legend-count">{count}</span>
        </li>
      ))}
      <li className="legend-item">
        <span className="legend-swatch token-cell scored" aria-hidden="true" />
        scored: outlined, target below
      </li>
      {predictionCounts && (
        <>
          <li className="legend-item" data-testid="legend-right">
            <span className="legend-swatch token-cell scored prediction-right" aria-hidden="true" />
            right: green, ✓ prediction <span className="legend-count">{predictionCounts.right}</span>
          </li>
          <li className="legend-item" data-testid="legend-wrong">
            <span className="legend-swatch token-cell scored prediction-wrong" aria-hidden="true" />
            wrong: red, ✗ prediction <span className="legend-count">{predictionCounts.scored - predictionCounts.right}</span>
          </li>
        </>
      )}
    </ul>
  );
}
