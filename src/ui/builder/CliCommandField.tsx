// The Builder's model as a ready `npm run mad` command line: the share link of the model and the
// Runs page's settings, handed to the CLI, so a model built here runs anywhere the CLI does.
import { useBuilderStore } from '../../state/builderStore.ts';
import { useLauncherChoice } from '../../state/launcherStore.ts';
import { shareRunOfLauncherChoice } from '../../state/launcherShareRun.ts';
import { experimentLink } from './builderLink.ts';
import { cliCommand } from './cliCommand.ts';
import { CopyButton } from './CopyButton.tsx';

export function CliCommandField() {
  const spec = useBuilderStore((state) => state.spec);
  const choice = useLauncherChoice();
  const shared = spec.layers.length > 0 ? experimentLink(window.location.href, spec, choice) : null;
  // A link without its run (runLeftOut) runs on the CLI's defaults; an invalid model has no command.
  const command = shared?.ok ? cliCommand(shared.link, shared.runLeftOut === null ? shareRunOfLauncherChoice(choice) : undefined) : null;
  const note = shared === null ? null : shared.ok ? command!.note : shared.problem;
  return (
    <div className="share-section share-section-wide">
      <h3>Command line</h3>
      <label htmlFor="cli-command" className="field-label">
        Run this model with the lab’s CLI (in a MAD Lab checkout, on any GPU or the CPU)
      </label>
      <div className="share-row">
        <input
          id="cli-command"
          data-testid="cli-command"
          className="share-link-field"
          type="text"
          readOnly
          value={command?.text ?? ''}
          placeholder="Add a block to get the command"
          aria-describedby={note ? 'cli-command-note' : undefined}
          onFocus={(event) => event.target.select()}
        />
        <CopyButton text={command?.text ?? ''} label="Copy CLI command" sourceId="cli-command" />
      </div>
      {note && (
        <p id="cli-command-note" className={shared?.ok ? 'field-hint' : 'field-error'}>
          {note}
        </p>
      )}
    </div>
  );
}
