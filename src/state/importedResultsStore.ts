// Results imported from mad-lab logs directories, shown on the Runs page beside the lab's own runs
// (results table and radar). Each import adds its runs; a run imported again (the same model and
// run name) replaces the older copy, so importing a folder twice counts it once. The warnings are
// the latest import's: the files it skipped and why. Kept for this page visit only: the logs
// directory stays the record, and importing it again is one click.
import { create } from 'zustand';
import type { ImportedRun, ImportWarning, MadlabImport } from '../share/madlabImport.ts';
import { runDirName } from '../train/runKey.ts';

export interface ImportSummary {
  /** The folder the files were picked from (the first part of their paths). */
  folder: string;
  /** Runs this import read. */
  runs: number;
  /** Model ids among them, in the order first seen. */
  modelIds: string[];
  warnings: ImportWarning[];
}

interface ImportedResultsState {
  runs: ImportedRun[];
  lastImport: ImportSummary | null;
  /** Adds an import's runs (replacing earlier copies of the same runs) and records its summary. */
  addImport: (imported: MadlabImport, folder: string) => void;
  clear: () => void;
}

const runIdentity = (run: ImportedRun): string => runDirName(run.key);

export const useImportedResultsStore = create<ImportedResultsState>()((set, get) => ({
  runs: [],
  lastImport: null,

  addImport: (imported, folder) => {
    const byIdentity = new Map(get().runs.map((run) => [runIdentity(run), run]));
    for (const run of imported.runs) byIdentity.set(runIdentity(run), run);
    const modelIds = [...new Set(imported.runs.map((run) => run.key.modelId))];
    set({ runs: [...byIdentity.values()], lastImport: { folder, runs: imported.runs.length, modelIds, warnings: imported.warnings } });
  },

  clear: () => set({ runs: [], lastImport: null }),
}));
