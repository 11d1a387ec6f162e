// The Task Explorer page: pick a MAD task and one of its benchmark settings, read what the task
// probes, and look at generated instances token by token. Runs without WebGPU.
import { currentSetting, useExplorerStore } from '../../state/explorerStore.ts';
import { settingName } from '../../tasks/settings.ts';
import { ExampleView } from './ExampleView.tsx';
import { SettingName } from './SettingName.tsx';
import { settingChoice } from './settingChoices.ts';
import { SettingPicker } from './SettingPicker.tsx';
import { TaskPicker } from './TaskPicker.tsx';
import { TASK_DESCRIPTIONS } from './taskDescriptions.ts';

export function TaskExplorer() {
  const task = useExplorerStore((state) => state.task);
  const settingIndex = useExplorerStore((state) => state.settingIndex);
  const setting = useExplorerStore(currentSetting);
  const settingNote = settingChoice(task, settingIndex)?.note;
  const name = settingName(setting);
  const description = TASK_DESCRIPTIONS[task];
  return (
    <div className="task-explorer">
      {/* The navigation already shows the page name; the heading is for screen-reader navigation. */}
      <h1 className="visually-hidden">Task Explorer</h1>
      <TaskPicker />
      <div className="task-overview">
        <section className="task-explanation" aria-labelledby="task-explanation-title">
          <h2 id="task-explanation-title">{description.title}</h2>
          <p>{description.probes}</p>
        </section>
        <div className="task-setting">
          <SettingPicker />
          <SettingName key={name} name={name} />
          {settingNote && <p className="setting-note">{settingNote}</p>}
        </div>
      </div>
      <ExampleView />
    </div>
  );
}
