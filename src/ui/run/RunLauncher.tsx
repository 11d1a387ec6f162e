// Choose what to train and press Run: one setting of a task (its sizes editable, down to a demo
// that trains in seconds), a task's whole benchmark grid, a protocol profile, or a width sweep (one
// setting, the model at each listed width; the Compare page draws accuracy against state); the model (the
// Builder's, a tiny demo model, or a preset); and the training hyper-parameters. The seed is
// mad-lab's one seed, for the data and the training alike. The choices live in the launcher store,
// so a share link carries them (the link below the Run button) and opening a link fills them in.
// Every shown field is checked against the size policy on each edit: a value over a limit, typed
// or arriving by link, stays in its field with the reason under it, and Run waits until it is
// fixed. Run is disabled while a launch is pending, and a double-click launches once. Below Run,
// the training time of what it would launch, at the speed the GPU check measured on this adapter.
import { useState, type FormEvent } from 'react';
import { PROTOCOLS } from '../../config/protocolFiles.ts';
import { PROTOCOL_NAMES, type ProtocolName } from '../../config/protocols.ts';
import { useBuilderStore } from '../../state/builderStore.ts';
import { DEMO_SCALE, useLauncherChoice, useLauncherStore } from '../../state/launcherStore.ts';
import { TASK_NAMES, type TaskName } from '../../tasks/types.ts';
import type { RunController } from '../../runs/runController.ts';
import type { SweepKind } from '../../storage/runRecords.ts';
import { ChoiceChips } from '../explorer/ChoiceChips.tsx';
import { settingGroupsForTask } from '../explorer/settingChoices.ts';
import { TASK_DESCRIPTIONS } from '../explorer/taskDescriptions.ts';
import type { LauncherField } from '../../state/launcherChoice.ts';
import { launchFieldProblems, launchRequest, launchWorkload, type LaunchProblem } from './launchPlans.ts';
import { gateEstimateText } from '../gpuCheck/adapterEstimate.ts';
import { BUILDER_MODEL_ID, modelChoices, TINY_MODEL_ID } from './modelChoices.ts';
import { NumberField } from '../common/NumberField.tsx';
import { useWebGpuSupport } from '../layout/useWebGpuSupport.ts';
import { RunShareLink } from './RunShareLink.tsx';
import { ensureGpuChecked, gateBlockMessage } from '../../runs/gpuCheckGate.ts';
import { GpuGateNotice } from '../gpuCheck/GpuGateNotice.tsx';
import { useGpuGate } from '../gpuCheck/useGpuGate.ts';

const MODES: { value: SweepKind; label: string }[] = [
  { value: 'setting', label: 'One setting' },
  { value: 'grid', label: 'A task’s grid' },
  { value: 'protocol', label: 'A protocol' },
  { value: 'width', label: 'Width sweep' },
];

interface RunLauncherProps {
  controller: RunController | null;
}

export function RunLauncher({ controller }: RunLauncherProps) {
  const builderSpec = useBuilderStore((state) => state.spec);
  const choice = useLauncherChoice();
  const { mode, task, settingIndex, sizes, widths, profile, demo, training } = choice;
  // A width sweep trains one setting at its sizes, like 'setting'.
  const oneSetting = mode === 'setting' || mode === 'width';
  const modelChoiceId = useLauncherStore((state) => state.modelChoiceId);
  const checkpointEvery = useLauncherStore((state) => state.checkpointEvery);
  const launcher = useLauncherStore.getState();
  const [launchProblems, setLaunchProblems] = useState<LaunchProblem[]>([]);
  const [launching, setLaunching] = useState(false);
  // Runs train in a worker on WebGPU: without it, say why here instead of starting runs that fail.
  const support = useWebGpuSupport();
  // Never train on an adapter whose kernels compute wrong results: the quick GPU check decides.
  const gate = useGpuGate();
  const gateBlocked = gateBlockMessage(gate) !== null;

  const models = modelChoices(builderSpec);
  const model = models.find((option) => option.id === (modelChoiceId ?? BUILDER_MODEL_ID)) ?? models[0]!;

  const fieldProblems = launchFieldProblems({ ...choice, architecture: model.architecture, checkpointEvery });
  const widthProblem = launchProblems.find((problem) => problem.field === 'widths')?.message;
  const errorOf = (field: LauncherField | 'checkpointEvery') => fieldProblems.find((problem) => problem.field === field)?.message;
  // Field problems are live; the model's and the runs' come from the last press of Run.
  const workload = launchWorkload({ ...choice, architecture: model.architecture, checkpointEvery });
  const problems = [...fieldProblems, ...launchProblems.filter((problem) => problem.field === 'model' || problem.field === 'run' || (problem.field === 'widths' && !fieldProblems.some((p) => p.field === 'widths')))];

  const applyDemoSizes = () => {
    launcher.applyDemoScale();
    launcher.setModelChoice(TINY_MODEL_ID);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!controller) return;
    const outcome = launchRequest({ ...choice, architecture: model.architecture, checkpointEvery });
    if (!outcome.ok) {
      setLaunchProblems(outcome.problems);
      return;
    }
    setLaunchProblems([]);
    setLaunching(true);
    try {
      // The first launch on an unchecked adapter waits for the quick check; a failure shows below.
      if (gateBlockMessage(await ensureGpuChecked()) !== null) return;
      await controller.launch(outcome.request);
    } catch (error) {
      setLaunchProblems([{ field: 'run', message: error instanceof Error ? error.message : String(error) }]);
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
        <ChoiceChips<SweepKind> name="launch-mode" choices={MODES} selected={mode} onSelect={launcher.setMode} />
      </fieldset>

      <div className="launcher-grid">
        {mode !== 'protocol' && (
          <div className="select-field">
            <label htmlFor="launch-task">Task</label>
            <select id="launch-task" value={task} onChange={(e) => launcher.chooseSetting(e.target.value as TaskName, 0)}>
              {TASK_NAMES.map((name) => (
                <option key={name} value={name}>
                  {TASK_DESCRIPTIONS[name].title}
                </option>
              ))}
            </select>
          </div>
        )}
        {oneSetting && (
          <div className="select-field">
            <label htmlFor="launch-setting">Setting</label>
            <select id="launch-setting" value={settingIndex} onChange={(e) => launcher.chooseSetting(task, Number(e.target.value))}>
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
            <select id="launch-profile" value={profile} onChange={(e) => launcher.setProfile(e.target.value as ProtocolName)}>
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
          <select id="launch-model" value={model.id} onChange={(e) => launcher.setModelChoice(e.target.value)}>
            {models.map((choice) => (
              <option key={choice.id} value={choice.id}>
                {choice.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      {mode === 'protocol' && <p className="launcher-note">{PROTOCOLS[profile].description}</p>}
      {mode === 'width' && (
        <div className="launcher-grid">
          <div className="text-field select-field-wide">
            <label htmlFor="launch-widths">Widths</label>
            <input
              id="launch-widths"
              type="text"
              inputMode="numeric"
              value={widths}
              aria-invalid={errorOf('widths') !== undefined || widthProblem !== undefined}
              aria-describedby="launch-widths-hint"
              onChange={(e) => {
                launcher.setWidths(e.target.value);
                setLaunchProblems((old) => old.filter((problem) => problem.field !== 'widths'));
              }}
            />
            <p id="launch-widths-hint" className={errorOf('widths') ? 'field-error' : 'field-hint'}>
              {errorOf('widths') ??
                'Model widths, e.g. “16, 32”: one run each on this setting, multi-head layers keeping their head size. When they finish, the Compare page draws test accuracy against state size.'}
            </p>
          </div>
        </div>
      )}

      {oneSetting ? (
        <fieldset className="picker">
          <legend>Sizes</legend>
          <div className="launcher-grid">
            <NumberField label="Vocabulary" value={sizes.vocabSize} min={1} error={errorOf('sizes.vocabSize')} onChange={(vocabSize) => launcher.setSizes({ vocabSize })} />
            <NumberField label="Sequence length" value={sizes.seqLen} min={1} error={errorOf('sizes.seqLen')} onChange={(seqLen) => launcher.setSizes({ seqLen })} />
            <NumberField label="Training examples" value={sizes.numTrainExamples} min={1} error={errorOf('sizes.numTrainExamples')} onChange={(numTrainExamples) => launcher.setSizes({ numTrainExamples })} />
            <NumberField label="Test examples" value={sizes.numTestExamples} min={1} error={errorOf('sizes.numTestExamples')} onChange={(numTestExamples) => launcher.setSizes({ numTestExamples })} />
          </div>
        </fieldset>
      ) : (
        <fieldset className="picker">
          <legend>Scale</legend>
          <label className="checkbox-field">
            <input type="checkbox" checked={demo !== null} onChange={(e) => launcher.setDemo(e.target.checked ? DEMO_SCALE : null)} />
            Demo scale: fewer examples and epochs per run (scores are then not comparable with MAD’s)
          </label>
          {demo && (
            <div className="launcher-grid">
              <NumberField
                label="Baseline training examples"
                hint="The task's baseline trains on this many; its other settings shrink in proportion."
                value={demo.numTrainExamples}
                min={1}
                error={errorOf('demo.numTrainExamples')}
                onChange={(numTrainExamples) => launcher.setDemo({ ...demo, numTrainExamples })}
              />
              <NumberField label="Baseline test examples" value={demo.numTestExamples} min={1} error={errorOf('demo.numTestExamples')} onChange={(numTestExamples) => launcher.setDemo({ ...demo, numTestExamples })} />
              <NumberField label="Epochs" value={demo.epochs} min={1} error={errorOf('demo.epochs')} onChange={(epochs) => launcher.setDemo({ ...demo, epochs })} />
            </div>
          )}
        </fieldset>
      )}

      <fieldset className="picker">
        <legend>Training</legend>
        <div className="launcher-grid">
          {mode !== 'protocol' && (
            <>
              {(oneSetting || demo === null) && <NumberField label="Epochs" value={training.epochs} min={1} error={errorOf('training.epochs')} onChange={(epochs) => launcher.editTraining({ epochs })} />}
              <NumberField label="Learning rate" value={training.lr} step="any" error={errorOf('training.lr')} onChange={(lr) => launcher.editTraining({ lr })} />
              <NumberField label="Weight decay" value={training.weightDecay} step="any" error={errorOf('training.weightDecay')} onChange={(weightDecay) => launcher.editTraining({ weightDecay })} />
            </>
          )}
          <NumberField label="Batch size" value={training.batchSize} min={1} error={errorOf('training.batchSize')} onChange={(batchSize) => launcher.editTraining({ batchSize })} />
          <NumberField label="Seed" value={training.seed} min={0} error={errorOf('training.seed')} onChange={(seed) => launcher.editTraining({ seed })} />
          <NumberField
            label="Checkpoint every (epochs)"
            value={checkpointEvery}
            min={1}
            hint="Also after every 30 s of training: a reload loses at most this much."
            error={errorOf('checkpointEvery')}
            onChange={launcher.setCheckpointEvery}
          />
        </div>
      </fieldset>

      {problems.length > 0 && (
        <ul className="launcher-problems" role="alert">
          {problems.map((problem) => (
            <li key={`${problem.field}|${problem.message}`}>{problem.message}</li>
          ))}
        </ul>
      )}
      <div className="launcher-actions">
        <button type="button" className="button" onClick={applyDemoSizes}>
          Demo sizes
        </button>
        <button
          type="submit"
          className="button button-primary"
          // The second click of a double-click is the same press: the first launch may already
          // have finished and re-enabled the button, so only the click count tells them apart.
          onClick={(event) => {
            if (event.detail > 1) event.preventDefault();
          }}
          disabled={!controller || launching || support.status !== 'available' || gateBlocked || fieldProblems.length > 0}
        >
          Run
        </button>
      </div>
      {support.status === 'available' && workload !== null && (
        <p className="launcher-note" data-testid="launch-estimate">
          Training time: {gateEstimateText(workload, gate)} (every epoch of every run; early stopping makes it shorter)
        </p>
      )}
      {support.status === 'available' && <GpuGateNotice gate={gate} />}
      {support.status === 'unavailable' && (
        <p className="launcher-problems" role="note">
          Training needs WebGPU. {support.reason} Saved runs and their results stay viewable here.
        </p>
      )}
      <RunShareLink architecture={model.architecture} choice={choice} />
    </form>
  );
}
