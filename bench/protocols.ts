// `npm run bench -- protocols`: the compute of every protocol profile (configs/protocols/*.yml)
// relative to full, counted from the profile definitions by src/train/protocolCompute.ts, printed
// and written to the "Protocol compute" section of docs/benchmarks.md. Nothing is timed: these are
// the upper bounds (every run to its last epoch) the profiles are compared by.
import { PROTOCOL_NAMES, type ProtocolTask } from '../src/config/protocols.ts';
import { loadProtocol } from '../src/config/protocolDisk.ts';
import { computeCost, protocolCompute, relativeCompute } from '../src/train/protocolCompute.ts';

export const PROTOCOLS_SECTION = 'Protocol compute';

/** The markdown section, title line included. */
export function renderProtocolsSection(): string {
  const full = loadProtocol('full');
  const rows = PROTOCOL_NAMES.map((name) => {
    const profile = loadProtocol(name);
    const f = protocolCompute(profile);
    const settings = profile.tasks.reduce((n, t) => n + t.settings.length, 0);
    const epochs = epochsText(profile.tasks);
    const relative = relativeCompute(profile, full);
    return `| ${name} | ${settings} | ${profile.sweep.length} | ${f.runs} | ${epochs} | ${f.steps.toLocaleString('en-US')} | ${giga(f.trainTokens)} | ${giga(f.evalTokens)} | ${giga(computeCost(f))} | ${percent(relative)} |`;
  });
  return [
    `## ${PROTOCOLS_SECTION}`,
    '',
    'What each protocol profile (configs/protocols/*.yml) asks of one architecture, counted from its',
    'definition (src/train/protocolCompute.ts, docs/protocol.md §11): a run trains ⌈N_train/128⌉ optimizer steps per',
    'epoch over N_train × L token positions, tests on the test split after every epoch and ends with one',
    'pass over each split. Cost adds trained positions and evaluated positions at a third (a forward pass',
    "against a training step's forward and backward). Every run is counted to its last epoch; mad-lab's",
    'early stop (test accuracy above 0.999) makes real runs of strong models shorter. Each profile file',
    'states its own fraction, and a test checks it against this computation.',
    '',
    'Command: `npm run bench -- protocols`',
    '',
    '| profile | settings | sweep points | runs | epochs | optimizer steps | trained positions (G) | evaluated positions (G) | cost (G) | relative to full |',
    '|---|---:|---:|---:|---|---:|---:|---:|---:|---:|',
    ...rows,
    '',
  ].join('\n');
}

function giga(n: number): string {
  return (n / 1e9).toPrecision(3);
}

/** The epochs most tasks use, then the tasks that differ: `8 (memorization 200)`. */
function epochsText(tasks: readonly ProtocolTask[]): string {
  const counts = new Map<number, number>();
  for (const t of tasks) counts.set(t.epochs, (counts.get(t.epochs) ?? 0) + 1);
  const usual = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
  const others = tasks.filter((t) => t.epochs !== usual).map((t) => `${t.task} ${t.epochs}`);
  return others.length === 0 ? String(usual) : `${usual} (${others.join(', ')})`;
}

function percent(fraction: number): string {
  return `${(fraction * 100).toPrecision(3)} %`;
}
