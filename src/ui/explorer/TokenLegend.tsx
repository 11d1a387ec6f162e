// Which colour means which role (with this example's counts), and how a scored position looks.
import type { RoleCount } from './tokenRoles.ts';
import { ROLE_LABELS } from './tokenRoles.ts';

interface TokenLegendProps {
  roleCounts: readonly RoleCount[];
}

export function TokenLegend({ roleCounts }: TokenLegendProps) {
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
    </ul>
  );
}
