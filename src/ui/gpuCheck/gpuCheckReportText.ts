// A GPU check's report for an issue tracker: a markdown summary (adapter, build, failures), the
// benchmark's tables (kernels; training steps), a table of every check, then the whole report as
// JSON in a code block.
import type { GpuCheckReport } from '../../worker/gpuCheckApi.ts';

/** Largest |diff| as text; a check that could not run has none. */
export function formatError(value: number | null): string {
  return value === null || !Number.isFinite(value) ? '—' : value.toExponential(2);
}

export function reportJson(report: GpuCheckReport): string {
  return JSON.stringify(report, null, 2);
}

/** The benchmark's two tables (none for a report without a benchmark), each row with its run count. */
function benchmarkTables(report: GpuCheckReport): string[] {
  const steps = report.stepBenchmarks ?? [];
  const lines: string[] = [];
  if (report.benchmarks.length > 0) {
    lines.push('', '| benchmark | shape | ms per run | GFLOP/s | runs |', '| --- | --- | ---: | ---: | ---: |');
    for (const b of report.benchmarks) lines.push(`| ${b.name} | ${b.shape} | ${b.msPerRun.toFixed(2)} | ${b.gflops.toFixed(1)} | ${b.runs} |`);
  }
  if (steps.length > 0) {
    lines.push('', '| training step | shape | ms per step | tokens/s | GFLOP/s | steps |', '| --- | --- | ---: | ---: | ---: | ---: |');
    for (const s of steps) {
      lines.push(`| ${s.architecture} (${s.name}) | ${s.shape} | ${s.msPerStep.toFixed(1)} | ${Math.round(s.tokensPerSecond)} | ${s.gflops.toFixed(1)} | ${s.steps} |`);
    }
  }
  if (lines.length > 0) lines.push('', 'Timed by wall clock after a warm-up run; FLOPs from stated counts (src/worker/gpuBenchmarkKernels.ts, src/model/estimates.ts).');
  return lines;
}

export function reportMarkdown(report: GpuCheckReport): string {
  const { identity } = report;
  const failed = report.results.filter((r) => !r.ok);
  const lines = [
    '## MAD Lab GPU check',
    '',
    `- Adapter: ${identity.adapter}${identity.isFallbackAdapter ? ' (fallback adapter)' : ''}`,
    `- Kernel target: ${identity.target}; checked: ${[...new Set(report.results.map((r) => r.target))].join(', ')}`,
    `- Build (shader hash): ${identity.buildHash}`,
    `- Mode: ${report.request.mode}${report.request.madShapes ? ' with the checks at MAD shapes' : ''}, ${report.results.length} checks in ${report.seconds.toFixed(1)} s, finished ${report.finishedAt}`,
    `- Result: ${failed.length === 0 ? 'every check passed' : `${failed.length} failed (${report.failedKernels.join(', ')})`}`,
    ...benchmarkTables(report),
    '',
    '| kernel | check | target | result | largest error | tolerance |',
    '| --- | --- | --- | --- | --- | --- |',
    ...report.results.map((r) => {
      const tolerance = r.outcomes[0]?.tolerance;
      const result = r.ok ? 'pass' : r.error !== null ? `FAIL: ${r.error}` : 'FAIL';
      return `| ${r.kernel} | ${r.name} | ${r.target} | ${result} | ${formatError(r.maxAbsDiff)} | ${tolerance ? `${tolerance.atol} + ${tolerance.rtol}·|ref|` : '—'} |`;
    }),
    '',
    '<details><summary>Report as JSON (adapter limits and features included)</summary>',
    '',
    '```json',
    reportJson(report),
    '```',
    '',
    '</details>',
  ];
  return lines.join('\n');
}
