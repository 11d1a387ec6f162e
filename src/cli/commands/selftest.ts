// `npm run mad -- selftest`: every kernel's GPU-versus-reference check on this machine's GPU,
// one line per comparison, so a user can trust their adapter before training on it. --mad-shapes
// adds the checks at MAD's shape (checkSuite.ts MAD_SHAPE_CHECKS: full tiles, seconds each).

import { MAD_SHAPE_CHECKS } from '../../engine/ops/checkSuite.ts';
import { formatOutcome, runKernelCheck, type CheckOutcome } from '../../engine/ops/kernelCheck.ts';
import { MAD_KERNEL_SHAPE } from '../../engine/ops/madShape.ts';
import { allKernelChecks } from '../../engine/ops/registry.ts';
import { testGpu } from '../../engine/testing/gpu.ts';
import { parseArgs, type Command, type FlagSpecs } from '../args.ts';

const FLAGS = {
  filter: { kind: 'string', help: 'only checks whose name contains this text', value: 'TEXT' },
  'mad-shapes': {
    kind: 'switch',
    help: `also check at MAD's shape (batch ${MAD_KERNEL_SHAPE.batch} × T ${MAD_KERNEL_SHAPE.seqLen}, d ${MAD_KERNEL_SHAPE.dim}), where tiling and barrier bugs show on full tiles`,
  },
} satisfies FlagSpecs;

export const selftestCommand: Command = {
  summary: 'check every GPU kernel against its CPU reference on this machine',
  usage: () =>
    [
      'usage: npm run mad -- selftest [--filter TEXT] [--mad-shapes]',
      '',
      `  --filter TEXT  ${FLAGS.filter.help}`,
      `  --mad-shapes   ${FLAGS['mad-shapes'].help}`,
      '',
      'Prints one line per comparison (name, pass/fail, largest difference, tolerance); exits 1 on any failure.',
    ].join('\n'),
  async run(argv) {
    const flags = parseArgs(argv, FLAGS);
    const { adapterInfo } = await testGpu();
    console.log(`adapter: ${[adapterInfo.vendor, adapterInfo.architecture, adapterInfo.description].filter(Boolean).join(' / ')}`);
    const checks = [...allKernelChecks(), ...(flags['mad-shapes'] ? MAD_SHAPE_CHECKS.map((c) => c.check) : [])];
    const selected = checks.filter((c) => flags.filter === undefined || c.name.includes(flags.filter));
    if (selected.length === 0) throw new Error(`no kernel check matches '${flags.filter}'`);
    const outcomes: CheckOutcome[] = [];
    for (const check of selected) {
      try {
        for (const o of await runKernelCheck(check)) {
          outcomes.push(o);
          console.log(formatOutcome(o));
        }
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        outcomes.push({ name: check.name, what: 'run', maxAbsDiff: Infinity, tolerance: check.tolerance, ok: false });
        console.log(`FAIL  ${check.name} — could not run: ${message.split('\n')[0]}`);
      }
    }
    const failed = outcomes.filter((o) => !o.ok).length;
    console.log(`${outcomes.length - failed} passed, ${failed} failed`);
    return failed === 0 ? 0 : 1;
  },
};
