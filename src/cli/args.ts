// The CLI's command shape and its tiny flag parser: `--name value`, `--name=value`, switches, and
// `--x`/`--no-x` booleans. Flags are declared once, so parsing and the help text cannot drift apart.

/** A mistake in the command line: mad.ts prints it on one line and exits 2. */
export class UsageError extends Error {}

/** One subcommand of `npm run mad -- <name>`. */
export interface Command {
  summary: string;
  usage(): string;
  /** Resolves to the exit code; throws UsageError for bad arguments, Error for failures. */
  run(argv: readonly string[]): Promise<number>;
}

/**
 * 'string' | 'number' (finite) | 'integer' (non-negative, every integer flag is a size or seed) take a
 * value; 'switch' is present or not; 'boolean' is --name / --no-name; 'repeated' takes a string each
 * time it is given, in order (e.g. --layer-config).
 */
export type FlagKind = 'string' | 'number' | 'integer' | 'switch' | 'boolean' | 'repeated';

export interface FlagSpec {
  kind: FlagKind;
  help: string;
  /** Placeholder shown in the help text for flags that take a value. */
  value?: string;
}

export type FlagSpecs = Record<string, FlagSpec>;

type FlagValue<K extends FlagKind> = K extends 'string' ? string : K extends 'repeated' ? string[] : K extends 'switch' | 'boolean' ? boolean : number;

/** Only the flags given on the command line are present, so callers can tell defaults from choices. */
export type ParsedFlags<S extends FlagSpecs> = { [N in keyof S]?: FlagValue<S[N]['kind']> };

export function parseArgs<S extends FlagSpecs>(argv: readonly string[], specs: S): ParsedFlags<S> {
  const parsed: Record<string, string | number | boolean | string[]> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument '${arg}'`);
    const eq = arg.indexOf('=');
    let name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    let spec = specs[name];
    let negated = false;
    if (spec === undefined && name.startsWith('no-') && specs[name.slice(3)]?.kind === 'boolean') {
      name = name.slice(3);
      spec = specs[name];
      negated = true;
    }
    if (spec === undefined) throw new UsageError(`unknown flag --${name}`);
    if (name in parsed && spec.kind !== 'repeated') throw new UsageError(`--${name} given twice`);
    if (spec.kind === 'switch' || spec.kind === 'boolean') {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      parsed[name] = !negated;
      continue;
    }
    const text = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (text === undefined) throw new UsageError(`--${name} needs a value`);
    if (spec.kind === 'repeated') parsed[name] = [...((parsed[name] as string[] | undefined) ?? []), text];
    else parsed[name] = spec.kind === 'string' ? text : parseNumber(name, spec.kind, text);
  }
  return parsed as ParsedFlags<S>;
}

/** Plain decimal notation, as Python's float() and int() read a flag: no hex, no Infinity, no spaces. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const DIGITS = /^\d+$/;

function parseNumber(name: string, kind: 'number' | 'integer', text: string): number {
  const value = Number(text);
  if (kind === 'number' && DECIMAL.test(text) && Number.isFinite(value)) return value;
  if (kind === 'integer' && DIGITS.test(text) && Number.isSafeInteger(value)) return value;
  const expected = kind === 'number' ? 'a decimal number (e.g. 5e-4 or 0.25)' : 'a non-negative whole number in decimal digits';
  throw new UsageError(`--${name} needs ${expected}, got '${text}'`);
}

/** Help lines for `specs`, aligned; `defaults` adds "(default …)" where a flag has one. */
export function formatFlags(specs: FlagSpecs, defaults: Record<string, string> = {}): string {
  const left = Object.entries(specs).map(([name, spec]) => {
    if (spec.kind === 'boolean') return `--${name}, --no-${name}`;
    return spec.kind === 'switch' ? `--${name}` : `--${name} ${spec.value ?? 'VALUE'}`;
  });
  const width = Math.max(...left.map((l) => l.length));
  return Object.entries(specs)
    .map(([name, spec], i) => {
      const def = defaults[name] === undefined ? '' : ` (default ${defaults[name]})`;
      return `  ${left[i]!.padEnd(width)}  ${spec.help}${def}`;
    })
    .join('\n');
}

/**
 * `--flag a b c` → `--flag a,b,c` for list flags written as argparse's nargs='+' (mad-lab's
 * `--layers`): the parser takes one value per flag.
 */
export function joinFlagValues(argv: readonly string[], flag: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg !== flag) {
      out.push(arg);
      continue;
    }
    const values: string[] = [];
    while (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) values.push(argv[++i]!);
    out.push(flag, values.join(','));
  }
  return out;
}
