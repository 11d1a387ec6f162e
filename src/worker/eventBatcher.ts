// Batches a worker's events for the page. postMessage per training step would flood the page at
// small sizes (hundreds of steps a second), so consecutive 'step' events of a run are merged into
// one (mean loss and accuracy, the last step number) and metric events wait up to `intervalMs`;
// lifecycle events (started, checkpointed, finished, …) go out at once, after whatever waited, so
// the page sees every event in the order it happened.

import type { WorkerEvent } from './api.ts';

export const DEFAULT_BATCH_INTERVAL_MS = 100;

type StepEvent = Extract<WorkerEvent, { kind: 'step' }>;

/** Events that may wait for the next batch; every other kind is sent at once. */
const DEFERRABLE: ReadonlySet<WorkerEvent['kind']> = new Set(['step', 'epoch']);

interface PendingStep {
  event: StepEvent;
  count: number;
  lossSum: number;
  accuracySum: number;
}

type Pending = { kind: 'event'; event: WorkerEvent } | { kind: 'steps'; steps: PendingStep };

export class EventBatcher {
  private pending: Pending[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly send: (batch: WorkerEvent[]) => void,
    private readonly intervalMs = DEFAULT_BATCH_INTERVAL_MS,
  ) {}

  push(event: WorkerEvent): void {
    if (event.kind === 'step') this.addStep(event);
    else this.pending.push({ kind: 'event', event });
    if (DEFERRABLE.has(event.kind)) this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
    else this.flush();
  }

  /** Sends whatever waits now (also used when a run ends, so nothing stays behind). */
  flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.length === 0) return;
    const batch = this.pending.map((item) => (item.kind === 'event' ? item.event : mergedStep(item.steps)));
    this.pending = [];
    this.send(batch);
  }

  // Merge only into the latest pending item, and only within one epoch, so that a step never
  // moves across an 'epoch' event or another run's events.
  private addStep(event: StepEvent): void {
    const last = this.pending.at(-1);
    if (last?.kind === 'steps' && last.steps.event.runId === event.runId && last.steps.event.epoch === event.epoch) {
      last.steps.event = event;
      last.steps.count++;
      last.steps.lossSum += event.loss;
      last.steps.accuracySum += event.accuracy;
      return;
    }
    this.pending.push({ kind: 'steps', steps: { event, count: 1, lossSum: event.loss, accuracySum: event.accuracy } });
  }
}

function mergedStep({ event, count, lossSum, accuracySum }: PendingStep): StepEvent {
  return { ...event, loss: lossSum / count, accuracy: accuracySum / count };
}
