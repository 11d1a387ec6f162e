// The GPU check's benchmark figures (worker/gpuBenchmark.ts): a table of the kernels (shape, ms per
// run, GFLOP/s) and one of the paper architectures' whole training steps (ms per step, tokens/s,
// GFLOP/s), each timed by wall clock after a warm-up run.
import type { GpuCheckReport } from '../../worker/gpuCheckApi.ts';

const ms = (value: number): string => (value < 10 ? value.toFixed(2) : value.toFixed(0));
const integer = (value: number): string => Math.round(value).toLocaleString('en-US');

export function GpuBenchmarkTables({ report }: { report: GpuCheckReport }) {
  const steps = report.stepBenchmarks ?? [];
  if (report.benchmarks.length === 0 && steps.length === 0) return null;
  return (
    <section className="gpu-check-benchmarks" aria-labelledby="gpu-check-benchmark-title">
      <h3 id="gpu-check-benchmark-title">Benchmark (wall clock, warm-up excluded)</h3>
      {report.benchmarks.length > 0 && (
        <table className="gpu-check-table" data-testid="gpu-benchmark-kernels">
          <thead>
            <tr>
              <th scope="col">Kernel</th>
              <th scope="col">Shape</th>
              <th scope="col">ms per run</th>
              <th scope="col">GFLOP/s</th>
            </tr>
          </thead>
          <tbody>
            {report.benchmarks.map((b) => (
              <tr key={b.name}>
                <td>{b.name}</td>
                <td>{b.shape}</td>
                <td>{ms(b.msPerRun)}</td>
                <td>{b.gflops.toFixed(1)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {steps.length > 0 && (
        <table className="gpu-check-table" data-testid="gpu-benchmark-steps">
          <thead>
            <tr>
              <th scope="col">Training step</th>
              <th scope="col">Shape</th>
              <th scope="col">ms per step</th>
              <th scope="col">tokens/s</th>
              <th scope="col">GFLOP/s</th>
            </tr>
          </thead>
          <tbody>
            {steps.map((s) => (
              <tr key={s.architecture}>
                <td>
                  {s.architecture} <span className="gpu-check-muted">({s.name})</span>
                </td>
                <td>{s.shape}</td>
                <td>{ms(s.msPerStep)}</td>
                <td>{integer(s.tokensPerSecond)}</td>
                <td>{s.gflops.toFixed(1)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
