// Positions whose target counts toward loss and accuracy (target ≠ IGNORE_INDEX).
import { IGNORE_INDEX, type TaskInstance } from '../../tasks/types.ts';

export function scoredPositions(instance: TaskInstance): number[] {
  const positions: number[] = [];
  instance.targets.forEach((target, position) => {
    if (target !== IGNORE_INDEX) positions.push(position);
  });
  return positions;
}
