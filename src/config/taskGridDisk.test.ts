import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TASK_NAMES } from '../tasks/types.ts';
import { TASK_GRIDS } from './taskGridFiles.ts';
import { loadTaskGrids } from './taskGridDisk.ts';

describe('loadTaskGrids', () => {
  it('reads the same grids from disk as the bundle', () => {
    expect(loadTaskGrids()).toEqual(TASK_GRIDS);
  });

  it('reports the file that is missing or malformed', () => {
    const configsDir = mkdtempSync(join(tmpdir(), 'mad-configs-'));
    try {
      mkdirSync(join(configsDir, 'tasks'));
      for (const task of TASK_NAMES) writeFileSync(join(configsDir, 'tasks', `${task}.yml`), 'baseline:\n  seq_len: 64\n');
      expect(loadTaskGrids(configsDir).compression.baseline.seqLen).toBe(64);

      writeFileSync(join(configsDir, 'tasks', 'memorization.yml'), 'baseline:\n  seq_length: 64\n');
      expect(() => loadTaskGrids(configsDir)).toThrow(/memorization\.yml: unknown key baseline\.seq_length/);
      writeFileSync(join(configsDir, 'tasks', 'memorization.yml'), 'baseline:\n  seq_len: 64\n');
      expect(() => loadTaskGrids(join(configsDir, 'nowhere'))).toThrow(/in-context-recall\.yml/);
    } finally {
      rmSync(configsDir, { recursive: true, force: true });
    }
  });
});
