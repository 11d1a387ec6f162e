// Readable names for the settings of a task's benchmark grid ("vocab 32", "noise 60 %"), grouped by
// the one field each setting changes relative to the baseline.
import type { TaskName, TaskSetting } from '../../tasks/types.ts';
import { settingsForTask } from '../../config/taskGridFiles.ts';

type SettingField = Exclude<keyof TaskSetting, 'task'>;

interface FieldWording {
  group: string;
  describe: (value: number | boolean) => string;
  /** Shown while a setting that changes this field is selected. */
  note?: string;
}

const formatCount = (value: number | boolean) => Number(value).toLocaleString('en-US');

// A mapped type over every field, so a new TaskSetting field cannot go without wording.
const FIELD_WORDING: Record<SettingField, FieldWording> = {
  vocabSize: { group: 'Vocabulary', describe: (v) => `vocab ${formatCount(v)}` },
  seqLen: { group: 'Sequence length', describe: (v) => `length ${formatCount(v)}` },
  numTrainExamples: {
    group: 'Training examples',
    describe: (v) => `train ${formatCount(v)}`,
    note: 'Instances look the same as the baseline’s; only the size of the training set changes.',
  },
  numTestExamples: { group: 'Test examples', describe: (v) => `test ${formatCount(v)}` },
  fracNoise: { group: 'Noise', describe: (v) => `noise ${Math.round(Number(v) * 100)} %` },
  noiseVocabSize: { group: 'Noise vocabulary', describe: (v) => `noise vocab ${formatCount(v)}` },
  numTokensToCopy: { group: 'Tokens to copy', describe: (v) => `copy ${formatCount(v)} tokens` },
  kMotifSize: { group: 'Key motif', describe: (v) => `key motif ${formatCount(v)}` },
  vMotifSize: { group: 'Value motif', describe: (v) => `value motif ${formatCount(v)}` },
  multiQuery: { group: 'Queries', describe: (v) => (v ? 'multi-query' : 'single query') },
  seed: { group: 'Seed', describe: (v) => `seed ${String(v)}` },
};

export interface SettingChoice {
  /** Index into settingsForTask(task). */
  index: number;
  label: string;
  /** The field this setting changes, or null for the baseline. */
  changedField: SettingField | null;
  note?: string;
}

export interface SettingGroup {
  title: string;
  choices: SettingChoice[];
}

function changedField(baseline: TaskSetting, setting: TaskSetting): SettingField | null {
  const fields = Object.keys(FIELD_WORDING) as SettingField[];
  return fields.find((field) => setting[field] !== baseline[field]) ?? null;
}

function describeChoice(baseline: TaskSetting, setting: TaskSetting, index: number): SettingChoice {
  const field = changedField(baseline, setting);
  if (!field) return { index, label: 'baseline', changedField: null };
  const wording = FIELD_WORDING[field];
  return { index, label: wording.describe(setting[field]), changedField: field, note: wording.note };
}

const groupsCache = new Map<TaskName, SettingGroup[]>();

/** The grid as groups: "Baseline" first, then one group per changed field in grid order. */
export function settingGroupsForTask(task: TaskName): SettingGroup[] {
  const cached = groupsCache.get(task);
  if (cached) return cached;
  const settings = settingsForTask(task);
  const groups: SettingGroup[] = [];
  settings.forEach((setting, index) => {
    const choice = describeChoice(settings[0], setting, index);
    const title = choice.changedField ? FIELD_WORDING[choice.changedField].group : 'Baseline';
    const group = groups.find((existing) => existing.title === title);
    if (group) group.choices.push(choice);
    else groups.push({ title, choices: [choice] });
  });
  groupsCache.set(task, groups);
  return groups;
}


export function settingChoice(task: TaskName, index: number): SettingChoice | undefined {
  return settingGroupsForTask(task)
    .flatMap((group) => group.choices)
    .find((choice) => choice.index === index);
}
