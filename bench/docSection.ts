// docs/benchmarks.md is shared by several benchmarks: each rewrites only its own `## ` section.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const BENCHMARKS_DOC = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));

/** Replaces the `## <title>` section of a markdown text (up to the next `## `), or appends it. */
export function replaceSection(markdown: string, title: string, section: string): string {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.trimEnd() === `## ${title}`);
  if (start < 0) return `${markdown.trimEnd()}\n\n${section.trimEnd()}\n`;
  const next = lines.findIndex((l, i) => i > start && l.startsWith('## '));
  const before = lines.slice(0, start).join('\n').trimEnd();
  const after = next < 0 ? '' : `\n${lines.slice(next).join('\n')}`;
  return `${before === '' ? '' : `${before}\n\n`}${section.trimEnd()}\n${after}`;
}

/** Writes one section of docs/benchmarks.md, leaving the others as they are. */
export function writeSection(title: string, section: string, path = BENCHMARKS_DOC): void {
  const doc = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n\nMeasured figures; each section names the command that regenerates it.\n';
  writeFileSync(path, replaceSection(doc, title, section));
}
