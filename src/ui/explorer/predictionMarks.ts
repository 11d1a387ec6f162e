// A run's predictions read against an instance's targets: at every scored position, the predicted
// token, its probability and whether it is right; and how many are right. The grid, the legend's
// counts and the screen-reader table all read these marks.
import type { TaskInstance } from '../../tasks/types.ts';
import type { RunPrediction } from '../../worker/predictions.ts';
import { scoredPositions } from './scoredPositions.ts';

export interface PredictionMark {
  position: number;
  target: number;
  predicted: number;
  /** Softmax probability of the predicted token. */
  probability: number;
  right: boolean;
}

export function predictionMarks(instance: TaskInstance, prediction: RunPrediction): PredictionMark[] {
  if (prediction.predictions.length !== instance.inputs.length) {
    throw new Error(`The predictions cover ${prediction.predictions.length} positions, the instance has ${instance.inputs.length}.`);
  }
  return scoredPositions(instance).map((position) => {
    const target = instance.targets[position]!;
    const predicted = prediction.predictions[position]!;
    return { position, target, predicted, probability: prediction.probabilities[position]!, right: predicted === target };
  });
}

export interface MarkCounts {
  right: number;
  scored: number;
}

export function countMarks(marks: readonly PredictionMark[]): MarkCounts {
  return { right: marks.filter((mark) => mark.right).length, scored: marks.length };
}

/** The sentence a screen reader hears for one scored position. */
export function describeMark(mark: PredictionMark): string {
  return `position ${mark.position}: predicted ${mark.predicted}, target ${mark.target}, ${mark.right ? 'right' : 'wrong'}`;
}
