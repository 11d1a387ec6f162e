// The import boundaries between src/ folders ("rooms"), checked on every import of every .ts/.tsx
// file: static `import … from`, `export … from`, dynamic `import()`, type-only imports, and the
// worker entry a page starts (`new Worker(new URL('…', import.meta.url))`). Imports point down the
// data flow: pages → stores → page-side runs → (workers) → training → model → layers → engine →
// gpu. A file may import its own room freely, the rooms its row allows, and the single files its
// row names, each with the reason it is needed. Everything else fails with file, line and edge.
//
// Tests (*.test.ts[x]) are outside the table: a test may assemble real parts from any room to check
// its own (params.test.ts builds whole models to check the parameter order); no file may import a
// test. The testing/ folders are not exempt: they follow their room's row, because production code
// uses them too (the selftest's kernel checks run on engine/testing's harness).

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

type Room =
  | 'app'
  | 'ui'
  | 'state'
  | 'runs'
  | 'worker'
  | 'storage'
  | 'cli'
  | 'share'
  | 'weights'
  | 'train'
  | 'model'
  | 'layers'
  | 'engine'
  | 'gpu'
  | 'tasks'
  | 'config';

interface RoomRule {
  /** Rooms this room may import anything from. */
  rooms: readonly Room[];
  /** Single files of other rooms (paths under src/) this room may import, each with its reason. */
  files?: Readonly<Record<string, string>>;
}

// Files the page side (ui, state, runs) may import from rooms it otherwise may not: plain data and
// pure functions, no GPU object and no worker-side state.
const WORKER_API_TYPES = {
  'worker/api.ts': 'the worker API: plain, structured-cloneable messages between page and worker',
  'worker/predictions.ts': "a run's predictions for one instance, the plain reply of the worker API's predict()",
  'worker/weightsApi.ts': "the weights worker's API: a run's weights file and a loaded file's model, plain messages",
  'worker/gpuCheckApi.ts': "the GPU check worker's API: the adapter's identity, the checks' figures and the report, plain messages",
};
const RUN_RECORDS = {
  'train/types.ts': 'the plain run records (RunPlan, RunEvent, RunResult) spoken by the trainer, the worker and the page',
  'train/canonicalJson.ts': 'the key of a plain value (equal plans, equal keys), the one implementation',
};
const STORED_RUN_RECORDS = {
  'storage/runRecords.ts': "the plain records of stored runs and sweeps (statuses, run options) that the run list shows",
};
const LAYER_DESCRIPTIONS = {
  'layers/registry.ts': "the layer registry: names, shorthands, kinds, defaults and state sizes the Builder's palette and inspector show",
  'layers/types.ts': "the layer registry's plain types (LayerDefinition, LayerConfig, ConfigError)",
};
const PAGE_TRAIN_PLANNERS = {
  'train/runKey.ts': "a run's identity (mad-lab's run directory name), to match results with runs",
  'train/madScore.ts': 'MAD scores of results rows, for the results table and the radar',
  'train/scoreGaps.ts': 'what a MAD score leaves out (tasks, sweep points), said beside the imported results',
  'train/protocol.ts': "a protocol profile's runs, expanded on the page the same way the CLI does",
  'train/protocolCompute.ts': "the time estimates of runs and profiles: their FLOPs and steps from their definitions (pure arithmetic, no GPU)",
  'train/runMemoryPlan.ts': "the launcher checks a run's memory plan before queueing it (a planning-only trace, no GPU)",
  'train/trainingMemory.ts': "the Builder's memory figure traces the training program (planning only, no GPU)",
};

/** The allowed imports per room, top of the data flow first. Imports within a room are always allowed. */
const BOUNDARIES: Readonly<Record<Room, RoomRule>> = {
  // main.tsx and App.tsx mount the pages.
  app: { rooms: ['ui'] },
  ui: {
    rooms: ['state', 'runs', 'share', 'model', 'config', 'tasks'],
    files: { ...WORKER_API_TYPES, ...RUN_RECORDS, ...STORED_RUN_RECORDS, ...LAYER_DESCRIPTIONS, ...PAGE_TRAIN_PLANNERS },
  },
  state: {
    rooms: ['runs', 'share', 'model', 'config', 'tasks'],
    files: { ...WORKER_API_TYPES, ...RUN_RECORDS, ...STORED_RUN_RECORDS, ...LAYER_DESCRIPTIONS, 'train/runKey.ts': PAGE_TRAIN_PLANNERS['train/runKey.ts'] },
  },
  runs: {
    // The run database is written by the page (runs, sweeps) and by the workers (checkpoints, models).
    rooms: ['storage'],
    files: {
      ...WORKER_API_TYPES,
      ...RUN_RECORDS,
      'worker/trainer.worker.ts': 'the worker entry the page starts (new Worker(new URL(…))); nothing of it runs on the page',
      'worker/weights.worker.ts': 'the weights worker the page starts; weights files are built and read off the page',
      'worker/gpuCheck.worker.ts': 'the GPU check worker the page starts; kernels are checked on its own device, off the page',
      'config/gpuRequirements.ts': "the page's WebGPU probe checks an adapter against the trainer's list of required limits",
      'config/kernelTarget.ts': 'the kernel family of an adapter, a plain value',
    },
  },
  // Inside a worker: the trainer on the worker's device, checkpoints and models written to storage.
  worker: { rooms: ['storage', 'train', 'weights', 'model', 'engine', 'gpu', 'tasks', 'config'] },
  // IndexedDB: the run database both sides open; it stores the trainer's plain records.
  storage: { rooms: [], files: { ...RUN_RECORDS } },
  // Node's composition root; `info` lists the layer registry.
  cli: {
    rooms: ['train', 'share', 'weights', 'model', 'layers', 'engine', 'gpu', 'tasks', 'config'],
    files: {
      'worker/adapterSpeed.ts': "the CLI's gate measures the adapter's training speed as the app's GPU check does, one implementation",
      'worker/gpuCheckApi.ts': 'the measured speed (AdapterSpeed) the CLI keeps with its pass, a plain record',
    },
  },
  share: {
    rooms: ['model', 'config', 'tasks'],
    files: {
      ...RUN_RECORDS,
      'train/runKey.ts': 'library entries and imported logs are keyed by run directory name',
      'train/madScore.ts': 'imported mad-lab logs are scored as ours are',
      'layers/registry.ts': 'mad-lab exports and imports translate layer names and shorthands',
    },
  },
  // Weights files: a model's param pool under mad-lab's names (traced like counts, no GPU).
  weights: {
    rooms: ['model', 'tasks'],
    files: {
      'train/canonicalJson.ts': RUN_RECORDS['train/canonicalJson.ts'],
      'share/madlabExport.ts': 'the layers mad-lab lacks, one list, whose parameters keep our names',
      'engine/graph.ts': 'the model is traced into a graph to find where each parameter sits in the pool',
      'engine/params.ts': 'the tracing factory (planning, or seeded for the initial weights)',
    },
  },
  train: {
    rooms: ['model', 'layers', 'engine', 'tasks', 'config'],
    files: { 'gpu/stats.ts': 'the best-parameters copy is counted with the engine (no buffer is created after compilation)' },
  },
  model: { rooms: ['layers', 'engine', 'config'], files: { 'tasks/types.ts': 'a model is built for a task (its name decides the backbone) and a vocabulary' } },
  layers: { rooms: ['engine', 'config'], files: { 'tasks/prng.ts': "the layers' test harness (layers/testing) draws its seeded inputs from the data's PRNG" } },
  engine: {
    rooms: ['gpu'],
    files: {
      'tasks/prng.ts': 'ParamFactory draws initial weights from the seeded PRNG the data uses: plain arithmetic that imports nothing',
      'config/kernelTarget.ts': 'the kernel family a graph is traced for, a plain value the page may read too',
    },
  },
  gpu: { rooms: [], files: { 'config/gpuRequirements.ts': 'what MAD Lab needs from an adapter: plain data and sentences the page reads too' } },
  // config parses configs/ into the task layer's types; tasks imports config only for the size
  // policy, which makeSetting applies (sizePolicy.ts imports tasks' types alone, so no file cycle).
  config: { rooms: ['tasks'] },
  tasks: { rooms: [], files: { 'config/sizePolicy.ts': 'makeSetting refuses oversize settings with the one size policy' } },
};

interface SourceFile {
  /** Path under src/, with forward slashes. */
  path: string;
  text: string;
}

interface ForbiddenImport {
  file: string;
  line: number;
  /** The imported file, as a path under src/. */
  imported: string;
  message: string;
}

const TEST_FILE = /\.test\.tsx?$/;

/** The room of a path under src/: its first folder, or 'app' for the entry files at the top. */
function roomOf(path: string): string {
  const slash = path.indexOf('/');
  return slash < 0 ? 'app' : path.slice(0, slash);
}

/** Every relative import of `text` with its 1-based line: imports, re-exports, dynamic imports, worker entries. */
function importsOf(text: string): { specifier: string; line: number }[] {
  const lineAt = (offset: number) => text.slice(0, offset).split('\n').length;
  const found = ts.preProcessFile(text, true, true).importedFiles.map((ref) => ({ specifier: ref.fileName, line: lineAt(ref.pos) }));
  for (const match of text.matchAll(/new\s+URL\(\s*['"]([^'"]+)['"]\s*,\s*import\.meta\.url\s*\)/g)) {
    found.push({ specifier: match[1]!, line: lineAt(match.index) });
  }
  return found.filter(({ specifier }) => specifier.startsWith('./') || specifier.startsWith('../'));
}

/** Why `from` may not import `imported` (paths under src/), or null when the table allows it. */
function edgeProblem(from: string, imported: string, boundaries: Readonly<Record<string, RoomRule>>): string | null {
  const fromTest = TEST_FILE.test(from);
  if (TEST_FILE.test(imported)) return 'a test file is imported';
  const fromRoom = roomOf(from);
  const toRoom = roomOf(imported);
  if (fromTest || fromRoom === toRoom) return null;
  const rule = boundaries[fromRoom];
  if (!rule) return `'${fromRoom}' has no row in the boundary table`;
  if (rule.rooms.includes(toRoom as Room) || rule.files?.[imported] !== undefined) return null;
  return `'${fromRoom}' may not import '${toRoom}'`;
}

/** The imports of `files` that the table forbids, in file and line order. */
function forbiddenImports(files: readonly SourceFile[], boundaries: Readonly<Record<string, RoomRule>> = BOUNDARIES): ForbiddenImport[] {
  const problems: ForbiddenImport[] = [];
  for (const file of files) {
    for (const { specifier, line } of importsOf(file.text)) {
      const imported = posix.normalize(posix.join(posix.dirname(file.path), specifier.replace(/\?.*$/, '')));
      // Imports that leave src/ (configs/, shaders/) are not rooms.
      if (imported.startsWith('../')) continue;
      const problem = edgeProblem(file.path, imported, boundaries);
      if (problem !== null) {
        problems.push({ file: file.path, line, imported, message: `src/${file.path}:${line} imports src/${imported}: ${problem} (${roomOf(file.path)} → ${roomOf(imported)})` });
      }
    }
  }
  return problems;
}

const SRC = dirname(fileURLToPath(import.meta.url));

function sourceFiles(dir: string): SourceFile[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    if (!/\.tsx?$/.test(entry.name)) return [];
    return [{ path: relative(SRC, full).split(sep).join('/'), text: readFileSync(full, 'utf8') }];
  });
}

describe('import boundaries', () => {
  it('every import under src/ is one the table allows', () => {
    const files = sourceFiles(SRC);
    expect(files.length).toBeGreaterThan(100);
    expect(forbiddenImports(files).map((p) => p.message)).toEqual([]);
  });

  it('every room under src/ has a row in the table', () => {
    const rooms = new Set(sourceFiles(SRC).map((file) => roomOf(file.path)));
    expect([...rooms].filter((room) => !(room in BOUNDARIES))).toEqual([]);
  });

  it('names the file, the line and the forbidden edge', () => {
    const files: SourceFile[] = [
      { path: 'ui/layout/probe.ts', text: "import { useState } from 'react';\n\nimport { acquireGpu } from '../../gpu/device.ts';\n" },
      { path: 'ui/layout/fine.ts', text: "import type { RunPlan } from '../../train/types.ts';\nimport { x } from './probe.ts';\n" },
    ];
    expect(forbiddenImports(files)).toEqual([
      {
        file: 'ui/layout/probe.ts',
        line: 3,
        imported: 'gpu/device.ts',
        message: "src/ui/layout/probe.ts:3 imports src/gpu/device.ts: 'ui' may not import 'gpu' (ui → gpu)",
      },
    ]);
  });

  it('reads type-only, re-exported, dynamic and multi-line imports, and worker entries', () => {
    const text = [
      "import type { Graph } from '../engine/graph.ts';",
      "export { layerDefinition } from '../layers/registry.ts';",
      'const lazy = () => import(\'../train/trainer.ts\');',
      'import {',
      '  Prng,',
      "} from '../tasks/prng.ts';",
      "const worker = new Worker(new URL('../worker/trainer.worker.ts', import.meta.url));",
      "// import { nothing } from '../gpu/device.ts';",
    ].join('\n');
    // gpu may import no other room, so every import read is reported.
    const imported = forbiddenImports([{ path: 'gpu/example.ts', text }]).map((p) => `${p.line} ${p.imported}`);
    expect(imported).toEqual(['1 engine/graph.ts', '2 layers/registry.ts', '3 train/trainer.ts', '6 tasks/prng.ts', '7 worker/trainer.worker.ts']);
  });

  it('lets tests import any room, holds testing/ helpers to their row, and lets nothing import a test', () => {
    const files: SourceFile[] = [
      { path: 'engine/params.test.ts', text: "import { buildModel } from '../model/build.ts';" },
      { path: 'engine/testing/harness.ts', text: "import { buildModel } from '../../model/build.ts';" },
      { path: 'model/build.ts', text: "import { cases } from './counting.test.ts';" },
    ];
    expect(forbiddenImports(files).map((p) => p.message)).toEqual([
      "src/engine/testing/harness.ts:1 imports src/model/build.ts: 'engine' may not import 'model' (engine → model)",
      'src/model/build.ts:1 imports src/model/counting.test.ts: a test file is imported (model → model)',
    ]);
  });

  it('fails a room missing from the table', () => {
    const problems = forbiddenImports([{ path: 'newroom/thing.ts', text: "import { x } from '../tasks/types.ts';" }]);
    expect(problems.map((p) => p.message)).toEqual(["src/newroom/thing.ts:1 imports src/tasks/types.ts: 'newroom' has no row in the boundary table (newroom → tasks)"]);
  });
});
