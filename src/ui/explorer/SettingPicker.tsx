// The task's benchmark grid: the baseline and each one-at-a-time change, grouped by what changes.
import { useExplorerStore } from '../../state/explorerStore.ts';
import { ChoiceChips } from './ChoiceChips.tsx';
import { settingGroupsForTask } from './settingChoices.ts';

export function SettingPicker() {
  const task = useExplorerStore((state) => state.task);
  const settingIndex = useExplorerStore((state) => state.settingIndex);
  const selectSetting = useExplorerStore((state) => state.selectSetting);
  return (
    <fieldset className="picker setting-picker">
      <legend>Setting</legend>
      <div className="setting-groups">
        {settingGroupsForTask(task).map((group) => (
          <div key={group.title} className="setting-group">
            <span className="setting-group-title">{group.title}</span>
            <ChoiceChips<number>
              name="setting"
              choices={group.choices.map((choice) => ({ value: choice.index, label: choice.label }))}
              selected={settingIndex}
              onSelect={selectSetting}
            />
          </div>
        ))}
      </div>
    </fieldset>
  );
}
