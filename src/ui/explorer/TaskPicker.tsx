// The six MAD tasks, by their human titles.
import { TASK_NAMES, type TaskName } from '../../tasks/types.ts';
import { useExplorerStore } from '../../state/explorerStore.ts';
import { ChoiceChips } from './ChoiceChips.tsx';
import { TASK_DESCRIPTIONS } from './taskDescriptions.ts';

const TASK_CHOICES = TASK_NAMES.map((task) => ({ value: task, label: TASK_DESCRIPTIONS[task].title }));

export function TaskPicker() {
  const task = useExplorerStore((state) => state.task);
  const selectTask = useExplorerStore((state) => state.selectTask);
  return (
    <fieldset className="picker task-picker">
      <legend>Task</legend>
      <ChoiceChips<TaskName> name="task" choices={TASK_CHOICES} selected={task} onSelect={selectTask} size="large" />
    </fieldset>
  );
}
