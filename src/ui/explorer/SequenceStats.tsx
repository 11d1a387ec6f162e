// The numbers a teacher reads out: model input length, vocabulary, scored positions in this instance.
import type { TaskSetting } from '../../tasks/types.ts';

interface SequenceStatsProps {
  setting: TaskSetting;
  inputLength: number;
  scoredCount: number;
}

export function SequenceStats({ setting, inputLength, scoredCount }: SequenceStatsProps) {
  // The recall tasks shift the sequence by one for next-token prediction, so the model sees L − 1 tokens.
  const lengthNote = inputLength === setting.seqLen ? '' : ` (L = ${setting.seqLen}, shifted by one)`;
  return (
    <dl className="sequence-stats" data-testid="sequence-stats">
      <div>
        <dt>Sequence length</dt>
        <dd>
          {inputLength}
          {lengthNote && <span className="stat-note">{lengthNote}</span>}
        </dd>
      </div>
      <div>
        <dt>Vocabulary</dt>
        <dd>{setting.vocabSize}</dd>
      </div>
      <div>
        <dt>Scored positions</dt>
        <dd data-testid="scored-count">{scoredCount}</dd>
      </div>
    </dl>
  );
}
