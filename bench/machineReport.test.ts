// The pure parts of `npm run report` (bench/machineReportFormat.ts) and the device bundle's inputs
// (bench/machineReportBundle.ts). The figures below are fixtures for the parsers and the markdown,
// not measurements.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUNDLE_ENTRIES, bundleCopies, DAWN_NODE, JS_DIR, missingInputs } from './machineReportBundle.ts';
import {
  adapterSlug,
  extrapolate,
  parseBenchmark,
  parsePlan,
  parseSelftest,
  renderMachineReport,
  type MachineReport,
  type TimedLine,
} from './machineReportFormat.ts';
import type { StepReport } from './step.ts';

const timed = (lines: [number, string][]): TimedLine[] => lines.map(([t, text]) => ({ t, text }));

// `mad benchmark --profile quick --plan` for mA-Sg-mA-Sg, as it prints it.
const PLAN = `task                     settings  epochs  runs  steps  trained tokens  evaluated tokens
in-context-recall               1       8     1    800          13.0 M             3.1 M
noisy-in-context-recall         1       8     1    800          13.0 M             3.1 M
fuzzy-in-context-recall         1       8     1    800          13.1 M             3.1 M
memorization                    1     200     1    400           1.6 M             8.2 M
compression                     1       8     1    800           3.3 M           778.2 k
selective-copying               1       8     1    800          26.2 M             6.2 M
total                           6             6  4,400          70.2 M            24.5 M
sweep: lr 0.001 wd 0
compute relative to full: 0.0415 % (trained + evaluated/3 token positions, every run to its last epoch)`;

const ROW = (acc: string): string => `  train_acc 0.500000  train_ppl 2.00000  train_loss 0.693000  test_acc ${acc}  test_ppl 2.00000  test_loss 0.693000`;

describe('adapterSlug', () => {
  it('names CPU implementations by their Vulkan driver and GPUs by vendor, architecture and model', () => {
    const lavapipe = { vendor: 'mesa', architecture: 'software', device: 'llvmpipe-llvm-15-0-6-256-bits-', description: 'llvmpipe: Mesa 25.0.7-2~bpo12+1 (LLVM 15.0.6) 0.0.1' };
    const swiftshader = { vendor: 'google', architecture: 'swiftshader', device: 'swiftshader-device-subzero-', description: 'SwiftShader driver 5.0.0' };
    const nvidia = { vendor: 'nvidia', architecture: 'hopper', device: '', description: 'NVIDIA H100 80GB HBM3 (driver 580.159)' };
    expect(adapterSlug(lavapipe)).toBe('mesa-lavapipe');
    expect(adapterSlug(swiftshader)).toBe('google-swiftshader');
    expect(adapterSlug(nvidia)).toBe('nvidia-hopper-h100-80gb-hbm3');
    expect(adapterSlug({ vendor: '', architecture: '', device: '', description: '' })).toBe('unknown-adapter');
  });
});

describe('parsers', () => {
  it('counts selftest comparisons per check and times each check by its output lines', () => {
    const s = parseSelftest(
      timed([
        [1, 'adapter: mesa / software / llvmpipe'],
        [1.5, 'pass  matmul [3×5] — forward: max |diff| 1.00e-7 (tolerance 0.000001 + 0.00001·|ref|)'],
        [2, 'pass  matmul [3×5] — backward dA: max |diff| 1.00e-7 (tolerance 0.000001 + 0.00001·|ref|)'],
        [6, 'FAIL  softmax [1×1] — could not run: device lost'],
        [6, '2 passed, 1 failed'],
      ]),
    );
    expect(s).toMatchObject({ adapter: 'mesa / software / llvmpipe', passed: 2, failed: 1 });
    expect(s.checks).toEqual([
      { name: 'matmul [3×5]', comparisons: 2, failed: [], seconds: 1 },
      { name: 'softmax [1×1]', comparisons: 1, failed: ['could not run: device lost'], seconds: 4 },
    ]);
  });

  it("reads --plan's task rows and leaves the total out", () => {
    const rows = parsePlan(PLAN);
    expect(rows.map((r) => r.task)).toEqual(['in-context-recall', 'noisy-in-context-recall', 'fuzzy-in-context-recall', 'memorization', 'compression', 'selective-copying']);
    expect(rows[4]).toEqual({ task: 'compression', runs: 1, trainTokens: 3.3e6, evalTokens: 778.2e3 });
  });

  it('extrapolates a stopped quick protocol from its finished runs by the plan\'s compute', () => {
    const p = parseBenchmark(
      timed([
        [0, 'profile quick: one grid setting per task'],
        [10, '[1/6] in-context-recall_run'],
        [40, ROW('0.900000')],
        [40, 'in-context-recall: MAD score 0.9000 over 1 setting(s)'],
        [40, '[2/6] noisy-in-context-recall_run'],
        [80, ROW('nan')],
        [80, '[3/6] fuzzy-in-context-recall_run'],
      ]),
      PLAN,
      100,
    );
    expect(p.totalRuns).toBe(6);
    expect(p.runs.map((r) => [r.task, r.seconds, r.testAcc])).toEqual([
      ['in-context-recall', 30, 0.9],
      ['noisy-in-context-recall', 40, null],
      ['fuzzy-in-context-recall', null, null],
    ]);
    expect(p.scores).toEqual({ 'in-context-recall': 0.9 });
    const cost = (train: number, evalTokens: number): number => train + evalTokens / 3;
    const total = cost(13.0e6, 3.1e6) * 2 + cost(13.1e6, 3.1e6) + cost(1.6e6, 8.2e6) + cost(3.3e6, 778.2e3) + cost(26.2e6, 6.2e6);
    const done = cost(13.0e6, 3.1e6) * 2;
    expect(p.extrapolated!.fromRuns).toBe(2);
    expect(p.extrapolated!.ofRuns).toBe(6);
    expect(p.extrapolated!.computeShare).toBeCloseTo(done / total, 12);
    expect(p.extrapolated!.seconds).toBeCloseTo(10 + (70 * total) / done, 6);
    expect(extrapolate({ ...p, runs: [] })).toBeNull();
  });
});

describe('renderMachineReport (fixture figures)', () => {
  const step: StepReport = {
    run: {
      date: '2026-01-01',
      command: 'npm run bench -- step --torch --json',
      shape: { batch: 16, seqLen: 128, dim: 128, vocab: 16 },
      steps: 1,
      node: 'v20.0.0',
      cpu: 'Fixture CPU',
      cores: 4,
      os: 'linux',
      loadAverage: [0.1, 0.2],
      seconds: 3,
    },
    ours: [{ implementation: 'system', adapter: 'nvidia / hopper', driver: 'the default driver', target: 'gpu', timestamps: true, results: [] }],
    torch: { error: 'no python3 with torch found: on Debian `sudo apt-get install python3-torch` (CPU), elsewhere `pip install torch`; then rerun with --torch' },
    comparison: [],
  };
  const report: MachineReport = {
    command: 'npm run report -- --budget 420',
    runner: 'tsx in the repository',
    quick: false,
    machine: { cpu: 'Fixture CPU', cores: 4, node: 'v20.0.0', os: 'linux', date: '2026-01-01 00:00 UTC', loadBefore: [0.1, 0.2, 0.3], loadAfter: [1, 2, 3], seconds: 400, budgetSeconds: 420 },
    adapter: {
      vendor: 'nvidia',
      architecture: 'hopper',
      device: '',
      description: 'NVIDIA H100',
      isFallbackAdapter: false,
      subgroupMinSize: 32,
      subgroupMaxSize: 32,
      driver: 'the default driver',
      target: 'gpu',
      features: ['timestamp-query'],
      limits: { maxBufferSize: 4294967295 } as MachineReport['adapter']['limits'],
    },
    parts: [
      { name: 'selftest', commands: ['npm run -s mad -- selftest'], status: 'ok', seconds: 12, budgetSeconds: 44, exitCode: 0 },
      { name: 'step', commands: ['npm run -s bench -- step --torch --implementations system --json --no-write'], status: 'ok', seconds: 3, budgetSeconds: 60, exitCode: 0 },
      {
        name: 'protocol',
        commands: ['npm run -s mad -- benchmark --profile quick --plan', 'npm run -s mad -- benchmark --profile quick'],
        status: 'ok',
        note: 'extrapolated from 2 of 6 runs',
        seconds: 100,
        budgetSeconds: 100,
        exitCode: null,
      },
    ],
    selftest: { adapter: 'nvidia / hopper', passed: 3, failed: 0, checks: [{ name: 'matmul [3×5]', comparisons: 3, failed: [], seconds: 0.5 }] },
    step,
    protocol: parseBenchmark(
      timed([
        [10, '[1/6] a'],
        [40, ROW('0.900000')],
        [40, '[2/6] b'],
        [80, ROW('0.800000')],
      ]),
      PLAN,
      100,
    ),
  };

  it('writes every section, labels the extrapolation and lists the exact commands', () => {
    const md = renderMachineReport(report);
    for (const heading of ['# MAD Lab on nvidia / hopper / NVIDIA H100', '## Machine', '## Adapter', '## Parts', '## Selftest', '## Kernels', '## Layers', '## Training step: ours vs PyTorch', '## Quick protocol: mA-Sg-mA-Sg', '## Commands']) {
      expect(md).toContain(`${heading}\n`);
    }
    expect(md).toContain('load average (1 / 5 / 15 min) 0.10 / 0.20 / 0.30 before the first part, 1.00 / 2.00 / 3.00 after the last');
    expect(md).toContain('**3 passed, 0 failed**');
    expect(md).toContain('No figures: not selected (--parts).');
    expect(md).toContain('sudo apt-get install python3-torch');
    expect(md).toMatch(/for all 6 runs, extrapolated from 2 of 6 runs\*\*/);
    expect(md).toContain('| 2 | noisy-in-context-recall | `b` | 40.0 | 0.8000 |');
    expect(md).toContain('```sh\nnpm run -s mad -- selftest\n');
    expect(md).toContain('npm run -s mad -- benchmark --profile quick\n```');
  });

  it('says why the quick protocol is skipped on a CPU adapter', () => {
    const { protocol: _, ...rest } = report;
    const md = renderMachineReport({ ...rest, protocolSkipped: 'the adapter is a CPU implementation (kernel target cpu)' });
    expect(md).toContain('## Quick protocol: mA-Sg-mA-Sg\n\nSkipped: the adapter is a CPU implementation (kernel target cpu).');
  });
});

describe('device bundle inputs', () => {
  it('finds every repository file the bundle script copies or bundles', () => {
    expect(missingInputs()).toEqual([]);
    const destinations = bundleCopies().map(([, to]) => to);
    expect(new Set(destinations).size).toBe(destinations.length);
    expect(destinations).toContain(`${JS_DIR}/torch/step_twin.py`);
  });

  it("runs the bundle's layout: run.sh unpacks dawn.node where webgpu loads it and starts the bundled report", () => {
    const run = readFileSync(new URL('../scripts/deviceRun.sh', import.meta.url), 'utf8');
    expect(run).toContain(`dawn=${DAWN_NODE}\n`);
    expect(run).toContain(`"$work/${JS_DIR}/report.mjs"`);
    expect(Object.keys(BUNDLE_ENTRIES).sort()).toEqual(['bench.mjs', 'mad.mjs', 'report.mjs']);
  });
});
