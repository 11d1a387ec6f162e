// The GPU check page ('#/gpu-check', linked from the status footer): runs the kernel checks of
// `npm run mad -- selftest` in a worker on this browser's adapter (optionally also at MAD's shape),
// with progress, then a short benchmark of MAD's kernels and the paper architectures' training
// steps, and shows each check's largest error against its tolerance and the benchmark's figures. The result is kept per
// adapter and build, decides the training gate, and can be copied or downloaded as a report.
import { useEffect, useState } from 'react';
import { identifyGpu, runGpuCheck } from '../../runs/gpuCheckClient.ts';
import { adoptGpuCheck, gpuCheckFault } from '../../runs/gpuCheckGate.ts';
import { storedGpuCheck } from '../../runs/gpuCheckStore.ts';
import type { CheckSuiteMode, GpuCheckIdentity, GpuCheckReport } from '../../worker/gpuCheckApi.ts';
import { CopyButton } from '../builder/CopyButton.tsx';
import { downloadText } from '../builder/download.ts';
import { useWebGpuSupport } from '../layout/useWebGpuSupport.ts';
import { GpuBenchmarkTables } from './GpuBenchmarkTables.tsx';
import { GpuCheckEstimates } from './GpuCheckEstimates.tsx';
import { formatError, reportJson, reportMarkdown } from './gpuCheckReportText.ts';
import './gpuCheck.css';

/** The ETA is per phase: a benchmark takes far longer than a check. */
type Progress = { phase: 'checks' | 'benchmark'; done: number; total: number; next: string | null; startedAt: number; now: number };

const MODES: { value: CheckSuiteMode; label: string; hint: string }[] = [
  // The training gate runs a subset of Quick: the kernels every model trains with (checkSuite.ts GATE_KERNELS).
  { value: 'quick', label: 'Quick', hint: 'one check of every kernel and a small benchmark (the training gate checks only the kernels every model trains with)' },
  { value: 'full', label: 'Full', hint: 'every check of npm run mad -- selftest and the benchmark at MAD’s shape' },
];

function progressText(p: Progress): string {
  if (p.total === 0) return 'Starting…';
  if (p.phase === 'checks') return `${p.done} of ${p.total} checks${etaText(p)}`;
  return `Benchmark ${p.done + 1} of ${p.total}: ${p.next ?? ''}${etaText(p)}`;
}

function etaText(p: Progress): string {
  if (p.done === 0 || p.total === 0) return '';
  const left = ((p.now - p.startedAt) / p.done) * (p.total - p.done);
  return `, about ${Math.ceil(left / 1000)} s left`;
}

export function GpuCheckPage() {
  const support = useWebGpuSupport();
  const [identity, setIdentity] = useState<GpuCheckIdentity | null>(null);
  const [report, setReport] = useState<GpuCheckReport | null>(null);
  const [mode, setMode] = useState<CheckSuiteMode>('quick');
  const [bothTargets, setBothTargets] = useState(false);
  const [madShapes, setMadShapes] = useState(false);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const fault = gpuCheckFault();

  useEffect(() => {
    if (support.status !== 'available') return;
    let active = true;
    identifyGpu().then(
      (found) => {
        if (!active) return;
        setIdentity(found);
        setReport((shown) => shown ?? (fault === null ? storedGpuCheck(found.key) : null));
      },
      (error: unknown) => active && setProblem(error instanceof Error ? error.message : String(error)),
    );
    return () => {
      active = false;
    };
  }, [support.status, fault]);

  const running = progress !== null;
  const run = async () => {
    setProblem(null);
    const startedAt = performance.now();
    setProgress({ phase: 'checks', done: 0, total: 0, next: null, startedAt, now: startedAt });
    try {
      const benchmark = mode === 'full' ? 'mad' : 'small';
      const finished = await runGpuCheck({ mode, bothTargets, madShapes, benchmark, fault, measureSpeed: true }, (p) => {
        const now = performance.now();
        const next = p.phase === 'benchmark' ? p.next : null;
        setProgress((shown) => ({ phase: p.phase, done: p.done, total: p.total, next, startedAt: shown?.phase === p.phase ? shown.startedAt : now, now }));
      });
      setReport(finished);
      adoptGpuCheck(finished);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setProgress(null);
    }
  };

  const failed = report?.results.filter((r) => !r.ok) ?? [];
  return (
    <div className="gpu-check-page">
      <h1>GPU check</h1>
      <p className="gpu-check-intro">
        Runs every kernel of MAD Lab on this browser’s GPU and compares the results with a CPU reference, then times a matmul. A GPU that
        computes a kernel wrongly would give wrong MAD scores without any other sign, so on each new GPU and version of MAD Lab training
        first waits for a check of the kernels every model trains with (embedding, norms, matmul, attention, loss, optimizer); the checks
        here cover every other kernel too.
      </p>
      {support.status === 'unavailable' && <p role="alert">The check needs WebGPU. {support.reason}</p>}
      {identity && (
        <p className="gpu-check-adapter" data-testid="gpu-check-adapter">
          Adapter: <strong>{identity.adapter}</strong> · kernel family <strong>{identity.target}</strong> · build {identity.buildHash}
        </p>
      )}
      {fault !== null && (
        <p className="gpu-check-fault" role="note">
          Test fault planted: the results of kernel “{fault}” are corrupted (?gpucheck-fault), so its check fails and nothing is kept.
        </p>
      )}
      <fieldset className="gpu-check-options" disabled={running || support.status !== 'available'}>
        <legend>What to check</legend>
        {MODES.map((m) => (
          <label key={m.value} className="gpu-check-option">
            <input type="radio" name="gpu-check-mode" value={m.value} checked={mode === m.value} onChange={() => setMode(m.value)} />
            <span>
              <strong>{m.label}</strong>: {m.hint}
            </span>
          </label>
        ))}
        <label className="gpu-check-option">
          <input type="checkbox" checked={bothTargets} onChange={(e) => setBothTargets(e.target.checked)} />
          <span>Check both kernel families (the tiled GPU kernels and the barrier-free CPU-adapter kernels)</span>
        </label>
        <label className="gpu-check-option">
          <input type="checkbox" checked={madShapes} onChange={(e) => setMadShapes(e.target.checked)} />
          <span>Also check at MAD’s shapes, where tiling and barrier bugs show on full tiles (a few seconds per kernel)</span>
        </label>
      </fieldset>
      <button type="button" className="button button-primary" onClick={() => void run()} disabled={running || identity === null}>
        {running ? 'Checking…' : 'Run check'}
      </button>
      {progress && (
        <div className="gpu-check-progress" role="status">
          <progress max={Math.max(progress.total, 1)} value={progress.done} aria-label={progress.phase === 'checks' ? 'Checks done' : 'Benchmarks done'} />
          <span>{progressText(progress)}</span>
        </div>
      )}
      {problem && (
        <p className="gpu-check-problem" role="alert">
          {problem}
        </p>
      )}
      {report && (
        <section className="gpu-check-result" aria-labelledby="gpu-check-result-title">
          <h2 id="gpu-check-result-title">
            {failed.length === 0 ? 'Every check passed' : `${failed.length} check${failed.length === 1 ? '' : 's'} failed: ${report.failedKernels.join(', ')}`}
          </h2>
          <p data-testid="gpu-check-summary" data-failed={failed.length}>
            {report.results.length} checks ({report.request.mode}{report.request.madShapes ? ', with MAD shapes' : ''}) in {report.seconds.toFixed(1)} s, finished {new Date(report.finishedAt).toLocaleString()}.
          </p>
          <GpuBenchmarkTables report={report} />
          <GpuCheckEstimates speed={report.speed ?? null} />
          <div className="gpu-check-actions">
            <CopyButton text={reportMarkdown(report)} label="Copy report" sourceId="gpu-check-report-text" />
            <button type="button" className="button" onClick={() => downloadText('mad-lab-gpu-check.json', reportJson(report), 'application/json')}>
              Download JSON
            </button>
          </div>
          <table className="gpu-check-table">
            <thead>
              <tr>
                <th scope="col">Kernel</th>
                <th scope="col">Check</th>
                <th scope="col">Target</th>
                <th scope="col">Result</th>
                <th scope="col">Largest error</th>
                <th scope="col">Tolerance (abs + rel)</th>
              </tr>
            </thead>
            <tbody>
              {report.results.map((r, i) => (
                <tr key={`${r.target}|${r.name}|${i}`} data-ok={r.ok}>
                  <td>{r.kernel}</td>
                  <td>{r.name}</td>
                  <td>{r.target}</td>
                  <td>{r.ok ? 'pass' : r.error !== null ? `FAIL: ${r.error}` : 'FAIL'}</td>
                  <td>{formatError(r.maxAbsDiff)}</td>
                  <td>{r.outcomes[0] ? `${r.outcomes[0].tolerance.atol} + ${r.outcomes[0].tolerance.rtol}·|ref|` : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <details>
            <summary>Report text</summary>
            <textarea id="gpu-check-report-text" readOnly rows={12} value={reportMarkdown(report)} />
          </details>
        </section>
      )}
    </div>
  );
}
