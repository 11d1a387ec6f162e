// `npm run report`: one machine's report. Runs selftest, `bench -- kernels`, `bench -- layers`,
// `bench -- step --torch` and, on a real GPU, `mad benchmark --profile quick` for mA-Sg-mA-Sg, each
// as its own process on this process's adapter (MAD_NODE_GPU passes through), collects their JSON
// (or their lines, where a part has no --json), and writes docs/reports/<adapter-slug>.md
// (bench/machineReportFormat.ts renders it). With --budget, each part gets a share of the time
// left and is stopped at its end; a quick protocol stopped so is extrapolated from its finished
// runs. The same file, bundled, is the device bundle's entry (scripts/deviceBundle.sh).

import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KernelTarget } from '../src/config/kernelTarget.ts';
import { acquireEngineGpu } from '../src/engine/engineGpu.ts';
import { nodeGpuDriver } from '../src/gpu/nodeGpu.ts';
import {
  adapterSlug,
  formatSeconds,
  parseBenchmark,
  parseSelftest,
  PART_NAMES,
  PROTOCOL_MODEL,
  renderMachineReport,
  type MachineReport,
  type PartName,
  type PartRecord,
  type TimedLine,
} from './machineReportFormat.ts';

const USAGE = [
  'usage: npm run report -- [--quick] [--parts LIST] [--out DIR] [--budget SECONDS]',
  '',
  `  --parts LIST      comma-separated, of ${PART_NAMES.join(', ')} (default: all)`,
  '  --quick           each part\'s smallest option set: a smoke run in a few minutes on a CPU adapter',
  '  --out DIR         write DIR/<adapter-slug>.md (default docs/reports)',
  '  --budget SECONDS  stop each part at its share of the time left (the quick protocol gets the most);',
  '                    a quick protocol stopped early is extrapolated from its finished runs',
  '',
  'The quick protocol runs on a real GPU only. Progress goes to stderr.',
].join('\n');

class UsageError extends Error {}

interface Flags {
  quick: boolean;
  parts: PartName[];
  out: string;
  budget: number | null;
}

function parseFlags(argv: readonly string[]): Flags {
  const flags: Flags = { quick: false, parts: [...PART_NAMES], out: 'docs/reports', budget: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    if (arg === '--quick') flags.quick = true;
    else if (arg === '--out') flags.out = value();
    else if (arg === '--budget') {
      const text = value();
      flags.budget = Number(text);
      if (!(flags.budget > 0)) throw new UsageError(`--budget needs a positive number of seconds, got '${text}'`);
    } else if (arg === '--parts') {
      const names = value().split(',').filter((n) => n !== '');
      const unknown = names.find((n) => !(PART_NAMES as readonly string[]).includes(n));
      if (unknown !== undefined) throw new UsageError(`unknown part '${unknown}' (choose from ${PART_NAMES.join(', ')})`);
      flags.parts = PART_NAMES.filter((n) => names.includes(n));
    } else throw new UsageError(`unknown flag: ${arg}`);
  }
  return flags;
}

// ---------------------------------------------------------------------------------------------
// Child processes

/** Bundled (the device bundle's report.mjs), the parts are the bundles beside it; else the sources, run as this process runs (tsx). */
const BUNDLED = import.meta.url.endsWith('.mjs');
const ENTRIES = BUNDLED
  ? { bench: fileURLToPath(new URL('./bench.mjs', import.meta.url)), mad: fileURLToPath(new URL('./mad.mjs', import.meta.url)) }
  : { bench: fileURLToPath(new URL('./main.ts', import.meta.url)), mad: fileURLToPath(new URL('../src/cli/mad.ts', import.meta.url)) };
type Tool = keyof typeof ENTRIES;

/** Part weights for sharing a --budget: the quick protocol's runs are the longest work. */
const WEIGHTS: Record<PartName, number> = { selftest: 1, kernels: 1.5, layers: 1.5, step: 1.5, protocol: 4 };
/** How long a stopped part gets between SIGTERM and SIGKILL. */
const KILL_GRACE_MS = 5000;

interface ChildResult {
  code: number | null;
  lines: TimedLine[];
  stdout: string;
  seconds: number;
  timedOut: boolean;
}

let running: number | undefined;
const started = performance.now();
// The environment before this process picks its adapter (which sets VK_ICD_FILENAMES): each part chooses as it would alone.
const childEnv = { ...process.env };
const elapsed = (): string => formatSeconds((performance.now() - started) / 1000);
const log = (line: string): void => void process.stderr.write(`[report ${elapsed()}] ${line}\n`);

/** Runs one part: stdout collected as timed lines, stderr passed through indented, stopped (its whole process group) at `budget` seconds. */
function runChild(tool: Tool, args: readonly string[], budget: number | null): Promise<ChildResult> {
  return new Promise((done) => {
    const t0 = performance.now();
    // Its own process group, so a stop also ends the processes it starts (bench step's children).
    const child = spawn(process.execPath, [...process.execArgv, ENTRIES[tool], ...args], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    running = child.pid;
    const lines: TimedLine[] = [];
    let stdout = '';
    let partial = '';
    child.stdout.on('data', (chunk: Buffer) => {
      const t = (performance.now() - t0) / 1000;
      stdout += chunk.toString();
      const parts = (partial + chunk.toString()).split('\n');
      partial = parts.pop()!;
      for (const text of parts) lines.push({ t, text });
    });
    child.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk.toString().replace(/^(?=.)/gm, '    ')));
    let timedOut = false;
    const timer =
      budget === null
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            stopGroup(child.pid, 'SIGTERM');
            setTimeout(() => stopGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS).unref();
          }, budget * 1000);
    const finish = (code: number | null): void => {
      clearTimeout(timer);
      running = undefined;
      if (partial !== '') lines.push({ t: (performance.now() - t0) / 1000, text: partial });
      done({ code, lines, stdout, seconds: (performance.now() - t0) / 1000, timedOut });
    };
    child.on('error', (err) => {
      process.stderr.write(`    could not start: ${err.message}\n`);
      finish(null);
    });
    child.on('close', finish);
  });
}

function stopGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    stopGroup(running, 'SIGKILL');
    process.exit(130);
  });
}

// ---------------------------------------------------------------------------------------------
// The parts

const CPU_LAYERS_ARGS = ['--batch', '2', '--seq-lens', '128,1024', '--reps', '2'];

interface PartPlan {
  tool: Tool;
  args: string[];
}

/**
 * Each part's arguments: the full measurement, or with --quick the smallest that still exercises it.
 * On a CPU adapter the layers run at batch 2 (docs/benchmarks.md's "Layers" setting): at MAD's batch
 * of 128 every layer at T 1024 takes minutes there.
 */
function partPlan(name: Exclude<PartName, 'protocol'>, quick: boolean, implementation: string, target: KernelTarget): PartPlan {
  switch (name) {
    case 'selftest':
      return { tool: 'mad', args: ['selftest', ...(quick ? ['--filter', 'softmax'] : [])] };
    case 'kernels':
      return { tool: 'bench', args: ['kernels', ...(quick ? ['--quick', '--filter', 'softmax'] : []), '--json', '--no-write'] };
    case 'layers':
      return { tool: 'bench', args: ['layers', ...(quick ? ['--batch', '2', '--seq-lens', '32', '--reps', '1', '--filter', 'mamba2'] : target === 'cpu' ? CPU_LAYERS_ARGS : []), '--json', '--no-write'] };
    case 'step':
      return {
        tool: 'bench',
        // The full run times every implementation present and writes docs/benchmarks.md's step
        // section from the same measurement as the report.
        args: ['step', '--torch', ...(quick ? ['--implementations', implementation, '--steps', '1', '--arch', PROTOCOL_MODEL.id, '--no-write'] : []), '--json'],
      };
  }
}

const commandLine = (tool: Tool, args: readonly string[]): string => {
  const env = process.env.MAD_NODE_GPU ? `MAD_NODE_GPU=${process.env.MAD_NODE_GPU} ` : '';
  const quoted = args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`));
  return `${env}npm run -s ${tool} -- ${quoted.join(' ')}`;
};

/** bench step's name for the implementation this process's adapter came from. */
function stepImplementation(driver: string): string {
  if (driver.startsWith('lavapipe')) return 'lavapipe';
  if (driver.startsWith('SwiftShader')) return 'swiftshader';
  return 'system';
}

const lastJson = (stdout: string): unknown => {
  // The JSON is the last thing printed, pretty or on one line.
  const start = stdout.lastIndexOf('\n{') >= 0 ? stdout.lastIndexOf('\n{') + 1 : stdout.indexOf('{');
  return JSON.parse(stdout.slice(start));
};

function record(name: PartName, commands: string[], r: ChildResult, budget: number | null, parsed: boolean): PartRecord {
  const status = r.timedOut ? 'stopped' : r.code === 0 && parsed ? 'ok' : 'failed';
  const note = r.timedOut
    ? `at its ${formatSeconds(budget ?? 0)} budget`
    : !parsed
      ? `no figures in its output (exit ${r.code ?? 'none'})`
      : r.code !== 0
        ? `exit ${r.code}: some checks or measurements failed (see below)`
        : undefined;
  return { name, commands, status, ...(note === undefined ? {} : { note }), seconds: r.seconds, budgetSeconds: budget, exitCode: r.code };
}

async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const flags = parseFlags(argv);
  const loadBefore = loadavg();
  const gpu = await acquireEngineGpu({ label: 'machine report' });
  const driver = nodeGpuDriver() ?? 'the default driver';
  const report: MachineReport = {
    command: ['npm run report --', ...argv].join(' ').replace(/ --$/, ''),
    runner: BUNDLED ? 'the device bundle (scripts/deviceBundle.sh: node, bundled entry points and Dawn from .device/)' : 'tsx in the repository',
    quick: flags.quick,
    machine: {
      cpu: cpus()[0]?.model ?? 'unknown CPU',
      cores: cpus().length,
      node: process.version,
      os: `${platform()} ${release()}`,
      date: new Date().toISOString().replace('T', ' ').slice(0, 16) + ' UTC',
      loadBefore,
      loadAfter: loadBefore,
      seconds: 0,
      budgetSeconds: flags.budget,
    },
    adapter: { ...gpu.adapterInfo, driver, target: gpu.target, features: gpu.features, limits: gpu.limits },
    parts: [],
  };
  gpu.device.destroy();
  const slug = adapterSlug(gpu.adapterInfo);
  log(`adapter ${report.adapter.vendor} / ${report.adapter.description} (${driver}, kernel target ${gpu.target}); parts: ${flags.parts.join(', ')}`);

  const budgetFor = (name: PartName): number | null => {
    if (flags.budget === null) return null;
    const left = flags.budget - (performance.now() - started) / 1000;
    // On a CPU adapter the protocol is skipped, so it takes no share.
    const rest = flags.parts.slice(flags.parts.indexOf(name)).filter((n) => n !== 'protocol' || gpu.target !== 'cpu');
    return Math.max(1, (left * WEIGHTS[name]) / rest.reduce((sum, n) => sum + WEIGHTS[n], 0));
  };

  for (const name of flags.parts) {
    if (name === 'protocol') {
      if (gpu.target === 'cpu') {
        report.protocolSkipped = `the adapter is a CPU implementation (kernel target cpu), where the quick profile's ${PROTOCOL_MODEL.id} runs take hours; it runs on a real GPU only`;
        report.parts.push({ name, commands: [], status: 'skipped', note: 'CPU adapter', seconds: 0, budgetSeconds: null, exitCode: null });
        log(`protocol: skipped (${report.protocolSkipped})`);
        continue;
      }
      await runProtocol(report, budgetFor(name));
      continue;
    }
    const plan = partPlan(name, flags.quick, stepImplementation(driver), gpu.target);
    const budget = budgetFor(name);
    log(`${name}: ${commandLine(plan.tool, plan.args)}${budget === null ? '' : ` (budget ${formatSeconds(budget)})`}`);
    const r = await runChild(plan.tool, plan.args, budget);
    let parsed = false;
    try {
      if (name === 'selftest') {
        report.selftest = parseSelftest(r.lines);
        parsed = report.selftest.checks.length > 0;
      } else {
        const json = lastJson(r.stdout);
        if (name === 'kernels') report.kernels = json as MachineReport['kernels'];
        else if (name === 'layers') report.layers = json as MachineReport['layers'];
        else report.step = json as MachineReport['step'];
        parsed = true;
      }
    } catch {
      // no JSON: recorded as failed below
    }
    report.parts.push(record(name, [commandLine(plan.tool, plan.args)], r, budget, parsed));
    log(`${name}: ${report.parts.at(-1)!.status} in ${formatSeconds(r.seconds)}`);
  }

  report.machine.loadAfter = loadavg();
  report.machine.seconds = (performance.now() - started) / 1000;
  const out = resolve(flags.out);
  mkdirSync(out, { recursive: true });
  const file = join(out, `${slug}.md`);
  writeFileSync(file, renderMachineReport(report));
  log(`wrote ${file}`);
  return report.parts.every((p) => p.status === 'ok' || p.status === 'skipped') ? 0 : 1;
}

/** The plan, then the profile until it ends or its budget does; a stopped profile is extrapolated from its finished runs. */
async function runProtocol(report: MachineReport, budget: number | null): Promise<void> {
  const logs = mkdtempSync(join(tmpdir(), 'mad-report-logs-'));
  const base = ['benchmark', '--profile', 'quick', '--layers', PROTOCOL_MODEL.layers.join(','), '--logs-path', logs];
  const commands = [commandLine('mad', [...base, '--plan']), commandLine('mad', base)];
  log(`protocol: ${commands[0]}`);
  const plan = await runChild('mad', [...base, '--plan'], budget);
  if (plan.code !== 0) {
    rmSync(logs, { recursive: true, force: true });
    report.parts.push(record('protocol', commands.slice(0, 1), plan, budget, false));
    return;
  }
  const left = budget === null ? null : Math.max(1, budget - plan.seconds);
  log(`protocol: ${commands[1]}${left === null ? '' : ` (budget ${formatSeconds(left)})`}`);
  const run = await runChild('mad', base, left);
  rmSync(logs, { recursive: true, force: true }); // its figures are in the run's output
  const planText = plan.stdout.split('\n').filter((l) => !l.startsWith('profile ') && !l.startsWith('model ')).join('\n');
  report.protocol = parseBenchmark(run.lines, planText, run.seconds);
  const part = record('protocol', commands, { ...run, seconds: run.seconds + plan.seconds }, budget, report.protocol.runs.length > 0);
  // A budget stop is this part's plan when the profile outlasts it: the figures are extrapolated, not missing.
  if (run.timedOut && report.protocol.extrapolated) {
    part.status = 'ok';
    part.note = `extrapolated from ${report.protocol.extrapolated.fromRuns} of ${report.protocol.extrapolated.ofRuns} runs`;
  }
  report.parts.push(part);
  log(`protocol: ${part.status}${part.note ? ` (${part.note})` : ''} in ${formatSeconds(part.seconds)}`);
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  if (!(err instanceof UsageError)) throw err;
  console.error(`${err.message}\n\n${USAGE}`);
  process.exitCode = 2;
}
