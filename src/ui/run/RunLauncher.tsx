// Choose what to train and press Run: one setting of a task (its sizes editable, down to a demo
// that trains in seconds), a task's whole benchmark grid, or a protocol profile; the model (the
// Builder's, a tiny demo model, or a preset); and the training hyper-parameters. The seed is
// mad-lab's one seed, for the data and the training alike.
import { useState, type FormEvent } from 'react';
import { PROTOCOLS } from '../../config/protocolsBundled.ts';
import { PROTOCOL_NAMES, type ProtocolName } from '../../config/protocols.ts';
import { useBuilderStore } from '../../state/builderStore.ts';
import { settingsForTask } from '../../state/explorerStore.ts';
import { TASK_NAMES, type TaskName } from '../../tasks/types.ts';
import { DEFAULT_TRAINING, type TrainingHyperparameters } from '../../train/types.ts';
import type { RunController } from '../../worker/runController.ts';
import { DEFAULT_RUN_OPTIONS, type SweepKind } from '../../worker/runRecords.ts';
import { ChoiceChips } from '../explorer/ChoiceChips.tsx';
import { settingGroupsForTask } from '../explorer/settingChoices.ts';
import { TASK_DESCRIPTIONS } from '../explorer/taskDescriptions.ts';
import { launchRequest, sizesOf, type DemoScale, type SettingSizes } from './launchPlans.ts';
import { BUILDER_MODEL_ID, modelChoices, TINY_MODEL_ID } from './modelChoices.ts';
import { NumberField } from './NumberField.tsx';

const MODES: { value: SweepKind; label: string }[] = [
  { value: 'setting', label: 'One setting' },
  { value: 'grid', label: 'A task’s grid' },
  { value: 'protocol', label: 'A protocol' },
];

/** Small enough to train in seconds on a CPU adapter. */
const DEMO_SIZES: Pick<SettingSizes, 'numTrainExamples' | 'numTestExamples'> = { numTrainExamples: 256, numTestExamples: 64 };
const DEMO_SCALE: DemoScale = { ...DEMO_SIZES, epochs: 4 };
const DEMO_TRAINING: Partial<TrainingHyperparameters> = { epochs: 4, batchSize: 32, lr: 5e-3 };

interface RunLauncherProps {
  controller: RunController | null;
}

export function RunLauncher({ controller }: RunLauncherProps) {
  const builderSpec = useBuilderStore((state) => state.spec);
  const [mode, setMode] = useState<SweepKind>('setting');
  const [task, setTask] = useState<TaskName>('in-context-recall');
  const [settingIndex, setSettingIndex] = useState(0);
  const [sizes, setSizes] = useState<SettingSizes>(() => sizesOf(settingsForTask('in-context-recall')[0]!));
  const [profile, setProfile] = useState<ProtocolName>('quick');
  const [demo, setDemo] = useState<DemoScale | null>(null);
  const [modelChoiceId, setModelChoiceId] = useState(BUILDER_MODEL_ID);
  const [training, setTraining] = useState<TrainingHyperparameters>(DEFAULT_TRAINING);
  const [checkpointEvery, setCheckpointEvery] = useState(DEFAULT_RUN_OPTIONS.checkpointEvery);
  const [problems, setProblems] = useState<string[]>([]);
  const [launching, setLaunching] = useState(false);

  const models = modelChoices(builderSpec);
  const model = models.find((choice) => choice.id === modelChoiceId) ?? models[0]!;
  const editTraining = (change: Partial<TrainingHyperparameters>) => setTraining((current) => ({ ...current, ...change }));

  const chooseSetting = (nextTask: TaskName, index: number) => {
    setTask(nextTask);
    setSettingIndex(index);
    setSizes(sizesOf(settingsForTask(nextTask)[index]!));
  };

  const useDemoSizes = () => {
    setSizes((current) => ({ ...current, ...DEMO_SIZES }));
    setDemo(DEMO_SCALE);
    editTraining(DEMO_TRAINING);
    setModelChoiceId(TINY_MODEL_ID);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!controller) return;
    const outcome = launchRequest({ mode, task, settingIndex, sizes, profile, demo, architecture: model.architecture, training, checkpointEvery });
    if (!outcome.ok) {
      setProblems(outcome.problems);
      return;
    }
    setProblems([]);
    setLaunching(true);
    try {
      await controller.launch(outcome.request);
    } catch (error) {
      setProblems([error instanceof Error ? error.message : String(error)]);
    } finally {
      setLaunching(false);
    }
  };

  const settingChoices = settingGroupsForTask(task).flatMap((group) =>
    group.choices.map((choice) => ({ index: choice.index, label: group.title === 'Baseline' ? 'baseline' : `${group.title}: ${choice.label}` })),
  );

  return (
    <form className="run-launcher panel" onSubmit={submit} aria-labelledby="run-launcher-title">
      <h2 id="run-launcher-title">New run</h2>
      <fieldset className="picker">
        <legend>Train on</legend>
        <ChoiceChips<SweepKind> name="launch-mode" choices={MODES} selected={mode} onSelect={setMode} />
      </fieldset>

      <div className="launcher-grid">
        {mode !== 'protocol' && (
          <div className="select-field">
            <label htmlFor="launch-task">Task</label>
            <select id="launch-task" value={task} onChange={(e) => chooseSetting(e.target.value as TaskName, 0)}>
              {TASK_NAMES.map((name) => (
                <option key={name} value={name}>
                  {TASK_DESCRIPTIONS[name].title}
                </option>
              ))}
            </select>
          </div>
        )}
        {mode === 'setting' && (
          <div className="select-field">
            <label htmlFor="launch-setting">Setting</label>
            <select id="launch-setting" value={settingIndex} onChange={(e) => chooseSetting(task, Number(e.target.value))}>
              {settingChoices.map((choice) => (
                <option key={choice.index} value={choice.index}>
                  {choice.label}
                </option>
              ))}
            </select>
          </div>
        )}
        {mode === 'protocol' && (
          <div className="select-field">
            <label htmlFor="launch-profile">Profile</label>
            <select id="launch-profile" value={profile} onChange={(e) => setProfile(e.target.value as ProtocolName)}>
              {PROTOCOL_NAMES.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="select-field select-field-wide">
          <label htmlFor="launch-model">Model</label>
          <select id="launch-model" value={model.id} onChange={(e) => setModelChoiceId(e.target.value)}>
            {models.map((choice) => (
              <option key={choice.id} value={choice.id}>
                {choice.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      {mode === 'protocol' && <p className="launcher-note">{PROTOCOLS[profile].description}</p>}

      {mode === 'setting' ? (
        <fieldset className="picker">
          <legend>Sizes</legend>
          <div className="launcher-grid">
            <NumberField label="Vocabulary" value={sizes.vocabSize} min={1} onChange={(vocabSize) => setSizes({ ...sizes, vocabSize })} />
            <NumberField label="Sequence length" value={sizes.seqLen} min={1} onChange={(seqLen) => setSizes({ ...sizes, seqLen })} />
            <NumberField label="Training examples" value={sizes.numTrainExamples} min={1} onChange={(numTrainExamples) => setSizes({ ...sizes, numTrainExamples })} />
            <NumberField label="Test examples" value={sizes.numTestExamples} min={1} onChange={(numTestExamples) => setSizes({ ...sizes, numTestExamples })} />
          </div>
        </fieldset>
      ) : (
        <fieldset className="picker">
          <legend>Scale</legend>
          <label className="checkbox-field">
            <input type="checkbox" checked={demo !== null} onChange={(e) => setDemo(e.target.checked ? DEMO_SCALE : null)} />
            Demo scale: fewer examples and epochs per run (scores are then not comparable with MAD’s)
          </label>
          {demo && (
            <div className="launcher-grid">
              <NumberField
                label="Baseline training examples"
                hint="The task's baseline trains on this many; its other settings shrink in proportion."
                value={demo.numTrainExamples}
                min={1}
                onChange={(numTrainExamples) => setDemo({ ...demo, numTrainExamples })}
              />
              <NumberField label="Baseline test examples" value={demo.numTestExamples} min={1} onChange={(numTestExamples) => setDemo({ ...demo, numTestExamples })} />
              <NumberField label="Epochs" value={demo.epochs} min={1} onChange={(epochs) => setDemo({ ...demo, epochs })} />
            </div>
          )}
        </fieldset>
      )}

      <fieldset className="picker">
        <legend>Training</legend>
        <div className="launcher-grid">
          {mode !== 'protocol' && (
            <>
              {(mode === 'setting' || demo === null) && <NumberField label="Epochs" value={training.epochs} min={1} onChange={(epochs) => editTraining({ epochs })} />}
              <NumberField label="Learning rate" value={training.lr} step="any" onChange={(lr) => editTraining({ lr })} />
              <NumberField label="Weight decay" value={training.weightDecay} step="any" onChange={(weightDecay) => editTraining({ weightDecay })} />
            </>
          )}
          <NumberField label="Batch size" value={training.batchSize} min={1} onChange={(batchSize) => editTraining({ batchSize })} />
          <NumberField label="Seed" value={training.seed} min={0} onChange={(seed) => editTraining({ seed })} />
          <NumberField
            label="Checkpoint every (epochs)"
            value={checkpointEvery}
            min={1}
            hint="Also after every 30 s of training: a reload loses at most this much."
            onChange={setCheckpointEvery}
          />
        </div>
      </fieldset>

      {problems.length > 0 && (
        <ul className="launcher-problems" role="alert">
          {problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      )}
      <div className="launcher-actions">
        <button type="button" className="button" onClick={useDemoSizes}>
          Demo sizes
        </button>
        <button type="submit" className="button button-primary" disabled={!controller || launching}>
          Run
        </button>
      </div>
    </form>
  );
}
