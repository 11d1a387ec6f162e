// The screen-reader version of the token grid: a one-sentence summary (also used as the grid
// region's description) and a visually hidden table of the scored positions.
import { memo } from 'react';
import type { TaskInstance } from '../../tasks/types.ts';
import { scoredPositions } from './scoredPositions.ts';
import { countRoles, ROLE_LABELS } from './tokenRoles.ts';

interface TokenSequenceTextProps {
  instance: TaskInstance;
  summaryId: string;
}

export const TokenSequenceText = memo(function TokenSequenceText({ instance, summaryId }: TokenSequenceTextProps) {
  const scored = scoredPositions(instance);
  const roleSummary = countRoles(instance.roles)
    .map(({ role, count }) => `${count} ${ROLE_LABELS[role]}`)
    .join(', ');
  return (
    <>
      <p id={summaryId} className="visually-hidden">
        {`${instance.inputs.length} tokens: ${roleSummary}. ${scored.length} scored positions, listed in the table that follows.`}
      </p>
      {/* Tables ignore a 1px size, so the hiding happens on a wrapper. */}
      <div className="visually-hidden">
        <table>
          <caption>Scored positions of this example</caption>
          <thead>
            <tr>
              <th scope="col">Position</th>
              <th scope="col">Role</th>
              <th scope="col">Input token</th>
              <th scope="col">Target</th>
            </tr>
          </thead>
          <tbody>
            {scored.map((position) => (
              <tr key={position}>
                <td>{position}</td>
                <td>{ROLE_LABELS[instance.roles[position]]}</td>
                <td>{instance.inputs[position]}</td>
                <td>{instance.targets[position]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
});
