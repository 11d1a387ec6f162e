import { describe, expect, it } from 'vitest';
import { DEMOS } from './demos.ts';
import { viewOfStoredRun, type RunView } from '../../state/runsStore.ts';
import { DEFAULT_RUN_OPTIONS, type StoredRunStatus } from '../../storage/runRecords.ts';
import { demoPlans } from './demoPlans.ts';
import { runIsActive, runStatusText } from './runStatusText.ts';

function view(status: StoredRunStatus, changes: Partial<RunView> = {}): RunView {
  const stored = {
    runId: 'r',
    plan: demoPlans(DEMOS[0]!, 'full')[0]!,
    options: DEFAULT_RUN_OPTIONS,
    sweepId: 's',
    sweepKind: 'setting' as const,
    label: 'l',
    createdAt: 1,
    status,
    epochs: [],
    checkpointEpoch: null,
    result: null,
    failure: null,
  };
  return { ...viewOfStoredRun(stored, false), ...changes };
}

describe('runStatusText', () => {
  it('counts epochs from 1 while training and never past the last', () => {
    expect(runStatusText(view('running', { position: 0 }))).toBe('Training: epoch 1 of 16');
    expect(runStatusText(view('running', { position: 2.5 }))).toBe('Training: epoch 3 of 16');
    expect(runStatusText(view('running', { position: 16 }))).toBe('Training: epoch 16 of 16');
  });

  it('gives the reason of a failed run and nothing for a demo never run', () => {
    expect(runStatusText(view('failed', { failure: 'the GPU device was lost' }))).toBe('Failed: the GPU device was lost');
    expect(runStatusText(null)).toBe('Not run yet');
  });

  it('treats queued, running and paused runs as active, ended ones not', () => {
    expect(['queued', 'running', 'paused'].map((s) => runIsActive(view(s as StoredRunStatus)))).toEqual([true, true, true]);
    expect(['completed', 'failed', 'cancelled'].map((s) => runIsActive(view(s as StoredRunStatus)))).toEqual([false, false, false]);
    expect(runIsActive(null)).toBe(false);
  });
});
