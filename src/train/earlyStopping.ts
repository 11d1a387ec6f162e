// Lightning's EarlyStopping as train.py configures it (docs/protocol.md §6): monitor the epoch's test
// accuracy, mode 'max', min_delta 0, stopping_threshold 0.999 (stop as soon as accuracy is
// strictly above it), patience = 20 epochs with --early-stop and = epochs without it (so then
// only the threshold can fire). Non-finite accuracy is the trainer's divergence check.

import type { TrainingHyperparameters } from './types.ts';

export const STOPPING_THRESHOLD = 0.999;

/** Plain data, carried by checkpoints. best: the highest test accuracy so far (null before any). */
export interface EarlyStopState {
  bestAccuracy: number | null;
  wait: number;
}

export type StopReason = 'threshold' | 'patience';

export class EarlyStopping {
  private readonly patience: number;
  private current: EarlyStopState;

  constructor(h: Pick<TrainingHyperparameters, 'earlyStop' | 'stopPatience' | 'epochs'>, state: EarlyStopState = { bestAccuracy: null, wait: 0 }) {
    this.patience = h.earlyStop ? h.stopPatience : h.epochs;
    this.current = { ...state };
  }

  get state(): EarlyStopState {
    return { ...this.current };
  }

  /** After an epoch's test pass: why training stops now, or null to go on. */
  update(testAccuracy: number): StopReason | null {
    if (testAccuracy > STOPPING_THRESHOLD) return 'threshold';
    // min_delta 0 and mode 'max': an improvement is strictly greater than the best so far.
    if (testAccuracy > (this.current.bestAccuracy ?? -Infinity)) {
      this.current = { bestAccuracy: testAccuracy, wait: 0 };
      return null;
    }
    this.current = { ...this.current, wait: this.current.wait + 1 };
    return this.current.wait >= this.patience ? 'patience' : null;
  }
}
