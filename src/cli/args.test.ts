import { describe, expect, it } from 'vitest';
import { formatFlags, parseArgs, UsageError } from './args.ts';

const SPECS = {
  task: { kind: 'string', value: 'TASK', help: 'the task' },
  'seq-len': { kind: 'integer', value: 'L', help: 'length' },
  'frac-noise': { kind: 'number', value: 'F', help: 'noise' },
  'multi-query': { kind: 'boolean', help: 'multi' },
  force: { kind: 'switch', help: 'overwrite' },
} as const;

describe('parseArgs', () => {
  it('parses values, = forms, switches and negated booleans; absent flags stay absent', () => {
    expect(parseArgs(['--task', 'memorization', '--seq-len=64', '--frac-noise', '0.2', '--no-multi-query', '--force'], SPECS)).toEqual({
      task: 'memorization',
      'seq-len': 64,
      'frac-noise': 0.2,
      'multi-query': false,
      force: true,
    });
    expect(parseArgs(['--multi-query'], SPECS)).toEqual({ 'multi-query': true });
    expect(parseArgs([], SPECS)).toEqual({});
  });

  it.each([
    [['--bogus'], 'unknown flag --bogus'],
    [['--no-force'], 'unknown flag --no-force'],
    [['memorization'], "unexpected argument 'memorization'"],
    [['--task'], '--task needs a value'],
    [['--seq-len', '12.5'], "--seq-len needs a non-negative integer, got '12.5'"],
    [['--seq-len', '-4'], "--seq-len needs a non-negative integer, got '-4'"],
    [['--frac-noise', 'lots'], "--frac-noise needs a number, got 'lots'"],
    [['--seq-len='], "--seq-len needs a non-negative integer, got ''"],
    [['--force=yes'], '--force takes no value'],
    [['--task', 'a', '--task', 'b'], '--task given twice'],
  ])('%j is a usage error: %s', (argv, message) => {
    expect(() => parseArgs(argv, SPECS)).toThrow(new UsageError(message));
    expect(() => parseArgs(argv, SPECS)).toThrow(UsageError);
  });
});

describe('formatFlags', () => {
  it('aligns flags and shows defaults', () => {
    const text = formatFlags(SPECS, { 'seq-len': '128', 'multi-query': 'on' });
    expect(text.split('\n')).toEqual([
      '  --task TASK                      the task',
      '  --seq-len L                      length (default 128)',
      '  --frac-noise F                   noise',
      '  --multi-query, --no-multi-query  multi (default on)',
      '  --force                          overwrite',
    ]);
  });
});
