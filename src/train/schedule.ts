// The learning rate of each epoch (docs/protocol.md §6), stepped once per epoch with no warm-up:
//   cosine  — CosineAnnealingLR(T_max = epochs, η_min = minLr):
//             lr(e) = η_min + (lr₀ − η_min)·(1 + cos(π e / T_max)) / 2 for the 0-based epoch e;
//   plateau — ReduceLROnPlateau(mode 'min', factor, patience, min_lr) on the test loss, with
//             PyTorch's defaults otherwise (relative threshold 1e-4, cooldown 0, eps 1e-8);
//   none    — lr₀ throughout.
// The state is plain data so a checkpoint carries it and a resumed run continues the schedule.
// A floor above the starting rate is refused: cosine annealing would then raise the rate every epoch.

import type { TrainingHyperparameters } from './types.ts';

/** ReduceLROnPlateau's defaults that train.py does not set. */
const PLATEAU_THRESHOLD = 1e-4;
const PLATEAU_EPS = 1e-8;

export type ScheduleState =
  | { kind: 'cosine' }
  | { kind: 'none' }
  /** best: the lowest test loss so far (null before the first epoch); badEpochs since it. */
  | { kind: 'plateau'; lr: number; best: number | null; badEpochs: number };

type ScheduleHyperparameters = Pick<TrainingHyperparameters, 'lr' | 'epochs' | 'scheduler' | 'minLr' | 'plateauPatience' | 'plateauFactor'>;

/** Why these hyper-parameters cannot be scheduled, or undefined: cosine needs minLr ≤ lr. */
export function scheduleProblem(h: Pick<TrainingHyperparameters, 'lr' | 'minLr' | 'scheduler'>): string | undefined {
  if (h.scheduler !== 'cosine' || h.minLr <= h.lr) return undefined;
  return `the learning-rate floor minLr ${h.minLr} is above the starting lr ${h.lr}, so the cosine schedule would raise the rate: use a minLr of at most ${h.lr}`;
}

export class LearningRateSchedule {
  private constructor(
    private readonly h: ScheduleHyperparameters,
    private current: ScheduleState,
  ) {}

  static start(h: ScheduleHyperparameters): LearningRateSchedule {
    assertSchedulable(h);
    switch (h.scheduler) {
      case 'cosine':
        return new LearningRateSchedule(h, { kind: 'cosine' });
      case 'none':
        return new LearningRateSchedule(h, { kind: 'none' });
      case 'plateau':
        return new LearningRateSchedule(h, { kind: 'plateau', lr: h.lr, best: null, badEpochs: 0 });
      default:
        return h.scheduler satisfies never;
    }
  }

  /** Continues a saved schedule (a checkpoint's) under the same hyper-parameters. */
  static resume(h: ScheduleHyperparameters, state: ScheduleState): LearningRateSchedule {
    if (state.kind !== h.scheduler) throw new Error(`the checkpoint's schedule is '${state.kind}' but the run asks for '${h.scheduler}'`);
    assertSchedulable(h);
    return new LearningRateSchedule(h, { ...state });
  }

  get state(): ScheduleState {
    return { ...this.current };
  }

  /** The learning rate of epoch `epoch` (0-based). */
  lrAt(epoch: number): number {
    const s = this.current;
    switch (s.kind) {
      case 'cosine': {
        const { lr, minLr, epochs } = this.h;
        return minLr + ((lr - minLr) * (1 + Math.cos((Math.PI * epoch) / epochs))) / 2;
      }
      case 'none':
        return this.h.lr;
      case 'plateau':
        return s.lr;
      default:
        return s satisfies never;
    }
  }

  /** Steps the scheduler after an epoch's test pass (only plateau looks at the loss). */
  endEpoch(testLoss: number): void {
    const s = this.current;
    if (s.kind !== 'plateau') return;
    // mode 'min', threshold_mode 'rel': better means below best·(1 − threshold), best starting
    // at +∞; NaN never is.
    if (testLoss < (s.best ?? Infinity) * (1 - PLATEAU_THRESHOLD)) {
      s.best = testLoss;
      s.badEpochs = 0;
    } else {
      s.badEpochs += 1;
    }
    if (s.badEpochs > this.h.plateauPatience) {
      const reduced = Math.max(s.lr * this.h.plateauFactor, this.h.minLr);
      if (s.lr - reduced > PLATEAU_EPS) s.lr = reduced;
      s.badEpochs = 0;
    }
  }
}

function assertSchedulable(h: ScheduleHyperparameters): void {
  const problem = scheduleProblem(h);
  if (problem !== undefined) throw new Error(problem);
}
