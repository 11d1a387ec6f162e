// A GPU check's report for an issue tracker: a markdown summary (adapter, build, failures, the
// benchmark, a table of every check) followed by the whole report as JSON in a code block.
import type { GpuCheckReport } from '../../worker/gpuCheckApi.ts';

/** Largest |diff| as text; a check that could not run has none. */
export function formatError(value: number | null): string {
  return value === null || !Number.isFinite(value) ? '—' : value.toExponential(2);
}

export function reportJson(report: GpuCheckReport): string {
  return JSON.stringify(report, null, 2);
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
    `- Mode: ${report.request.mode}, ${report.results.length} checks in ${report.seconds.toFixed(1)} s, finished ${report.finishedAt}`,
    `- Result: ${failed.length === 0 ? 'every check passed' : `${failed.length} failed (${report.failedKernels.join(', ')})`}`,
    ...report.benchmarks.map((b) => `- Benchmark: ${b.name} ${b.shape}: ${b.gflops.toFixed(1)} GFLOP/s, ${b.msPerRun.toFixed(2)} ms per run (${b.timing}, ${b.runs} runs)`),
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
