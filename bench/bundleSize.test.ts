// The bundle measurement on a small fake dist/: what counts as the initial load, what as a lazy
// page, and which file is the worker.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { measureBundle, renderBundleSection, total } from './bundleSize.ts';

function fakeDist(): string {
  const dist = mkdtempSync(join(tmpdir(), 'bundle-'));
  mkdirSync(join(dist, 'assets'));
  mkdirSync(join(dist, '.vite'));
  const files: Record<string, string> = {
    'index.html': '<script type="module" src="/assets/index.js"></script>',
    'assets/index.js': 'entry '.repeat(50),
    'assets/index.css': 'body{}',
    'assets/shared.js': 'shared',
    'assets/Runs.js': 'runs page',
    'assets/Runs.css': '.runs{}',
    'assets/charts.js': 'charts '.repeat(20),
    'assets/trainer.worker-abc123.js': 'worker',
  };
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dist, file), text);
  const manifest = {
    'index.html': { file: 'assets/index.js', isEntry: true, imports: ['_shared.js'], dynamicImports: ['src/Runs.tsx'], css: ['assets/index.css'] },
    '_shared.js': { file: 'assets/shared.js' },
    'src/Runs.tsx': { file: 'assets/Runs.js', isDynamicEntry: true, imports: ['_shared.js', '_charts.js'], css: ['assets/Runs.css'] },
    '_charts.js': { file: 'assets/charts.js' },
  };
  writeFileSync(join(dist, '.vite', 'manifest.json'), JSON.stringify(manifest));
  return dist;
}

describe('measureBundle', () => {
  it('counts index.html, the entry, its static imports and CSS as the initial load; lazy pages and the worker apart', () => {
    const report = measureBundle(fakeDist());
    expect(report.initial.map((f) => f.file)).toEqual(['index.html', 'assets/index.js', 'assets/index.css', 'assets/shared.js']);
    expect(report.lazy).toHaveLength(1);
    expect(report.lazy[0]!.name).toBe('src/Runs.tsx');
    // The shared chunk is already loaded, so the page brings only its own chunk, CSS and charts.
    expect(report.lazy[0]!.files.map((f) => f.file)).toEqual(['assets/Runs.js', 'assets/Runs.css', 'assets/charts.js']);
    expect(report.workers.map((f) => f.file)).toEqual(['assets/trainer.worker-abc123.js']);
    const entry = report.initial[1]!;
    expect(entry.raw).toBe('entry '.repeat(50).length);
    expect(entry.gzip).toBe(gzipSync('entry '.repeat(50)).length);
    expect(total(report.initial).raw).toBe(report.initial.reduce((n, f) => n + f.raw, 0));
    expect(renderBundleSection(report, 'npm run bench -- bundle', 'today')).toContain('| **initial load** |');
  });

  it('says what to do when the build has no manifest', () => {
    expect(() => measureBundle(mkdtempSync(join(tmpdir(), 'bundle-')))).toThrow(/manifest.json is missing: build with build.manifest enabled/);
  });
});
