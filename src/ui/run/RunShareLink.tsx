// The experiment as a link, from the Runs page: the model chosen above and the launcher's
// settings (seed included). It opens on the Builder with that model, and fills this launcher in.
import type { ArchitectureSpec } from '../../model/architecture.ts';
import type { LauncherChoice } from '../../state/launcherChoice.ts';
import { experimentLink } from '../builder/builderLink.ts';
import { CopyButton } from '../builder/CopyButton.tsx';

interface RunShareLinkProps {
  architecture: ArchitectureSpec;
  choice: LauncherChoice;
}

export function RunShareLink({ architecture, choice }: RunShareLinkProps) {
  const outcome = experimentLink(window.location.href, architecture, choice);
  const link = outcome.ok ? outcome.link : '';
  // Links have no field for a width sweep's widths: the link carries the model at its own width and the one setting.
  const widthNote = choice.mode === 'width' ? ' A width sweep’s widths are not in links: the link opens this setting with the model at its own width.' : '';
  const hint = outcome.ok ? (outcome.runLeftOut ?? `The model and these settings, seed included: the link reproduces this run.${widthNote}`) : outcome.problem;
  return (
    <div className="run-share-link">
      <label htmlFor="run-share-link" className="field-label">
        A link to this experiment
      </label>
      <div className="share-row">
        <input id="run-share-link" className="share-link-field" type="text" readOnly value={link} onFocus={(event) => event.target.select()} aria-describedby="run-share-link-hint" />
        <CopyButton text={link} label="Copy link" sourceId="run-share-link" />
      </div>
      <p id="run-share-link-hint" className={outcome.ok && outcome.runLeftOut === null ? 'field-hint' : 'field-error'}>
        {hint}
      </p>
    </div>
  );
}
