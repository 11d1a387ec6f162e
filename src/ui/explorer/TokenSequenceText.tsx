// The screen-reader version of the token grid: a one-sentence summary (also used as the grid
// region's description) and a visually hidden table of the scored positions, with a run's
// prediction at each ("position 12: predicted 9, target 9, right") while predictions are shown.
import { memo } from 'react';
import type { TaskInstance } from '../../tasks/types.ts';
import { describeMark, type PredictionMark } from './predictionMarks.ts';
import { scoredPositions } from './scoredPositions.ts';
import { countRoles, ROLE_LABELS } from './tokenRoles.ts';

interface TokenSequenceTextProps {
  instance: TaskInstance;
  summaryId: string;
  marks: readonly PredictionMark[] | null;
}

export const TokenSequenceText = memo(function TokenSequenceText({ instance, summaryId, marks }: TokenSequenceTextProps) {
  const scored = scoredPositions(instance);
  const markAt = new Map(marks?.map((mark) => [mark.position, mark]));
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
              {marks && <th scope="col">Prediction</th>}
            </tr>
          </thead>
          <tbody>
            {scored.map((position) => (
              <tr key={position}>
                <td>{position}</td>
                <td>{ROLE_LABELS[instance.roles[position]]}</td>
                <td>{instance.inputs[position]}</td>
                <td>{instance.targets[position]}</td>
                {marks && <td>{markAt.has(position) ? describeMark(markAt.get(position)!) : ''}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
});
