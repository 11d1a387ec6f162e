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

  it('reads numbers in decimal notation, signs and exponents included', () => {
    for (const [text, value] of [['1e-3', 1e-3], ['0.5', 0.5], ['5e-4', 5e-4], ['-100', -100], ['.25', 0.25], ['3.', 3], ['+2E2', 200]] as const) {
      expect(parseArgs(['--frac-noise', text], SPECS), text).toEqual({ 'frac-noise': value });
    }
    expect(parseArgs(['--seq-len', '0128'], SPECS)).toEqual({ 'seq-len': 128 });
  });

  it.each([
    [['--bogus'], 'unknown flag --bogus'],
    [['--no-force'], 'unknown flag --no-force'],
    [['memorization'], "unexpected argument 'memorization'"],
    [['--task'], '--task needs a value'],
    [['--seq-len', '12.5'], "--seq-len needs a non-negative whole number in decimal digits, got '12.5'"],
    [['--seq-len', '-4'], "--seq-len needs a non-negative whole number in decimal digits, got '-4'"],
    [['--frac-noise', 'lots'], "--frac-noise needs a decimal number (e.g. 5e-4 or 0.25), got 'lots'"],
    [['--seq-len='], "--seq-len needs a non-negative whole number in decimal digits, got ''"],
    // Number() reads these; Python's float() and int(), which mad-lab's flags go through, do not.
    [['--frac-noise', '0x10'], "--frac-noise needs a decimal number (e.g. 5e-4 or 0.25), got '0x10'"],
    [['--frac-noise', '1e'], "--frac-noise needs a decimal number (e.g. 5e-4 or 0.25), got '1e'"],
    [['--frac-noise', 'Infinity'], "--frac-noise needs a decimal number (e.g. 5e-4 or 0.25), got 'Infinity'"],
    [['--frac-noise', '  5'], "--frac-noise needs a decimal number (e.g. 5e-4 or 0.25), got '  5'"],
    [['--frac-noise', '1e999'], "--frac-noise needs a decimal number (e.g. 5e-4 or 0.25), got '1e999'"],
    [['--seq-len', '1e3'], "--seq-len needs a non-negative whole number in decimal digits, got '1e3'"],
    [['--seq-len', '0x40'], "--seq-len needs a non-negative whole number in decimal digits, got '0x40'"],
    [['--seq-len', '9007199254740993'], "--seq-len needs a non-negative whole number in decimal digits, got '9007199254740993'"],
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
