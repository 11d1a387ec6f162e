// Share links of the lab: a model and the Runs launcher's choice of what to train it on and how,
// so a link reproduces the experiment. Every link opens on the Builder (`#/builder&mad=v2.…`),
// which loads the model and fills the launcher in. When the launcher holds a value a link cannot
// carry (a field left empty), the link still carries the model, and says what it leaves out.
import { validateArchitecture, type ArchitectureSpec } from '../../model/architecture.ts';
import type { LauncherChoice } from '../../state/launcherChoice.ts';
import { shareRunOfLauncherChoice } from '../../state/launcherShareRun.ts';
import { validateShareRun } from '../../share/shareState.ts';
import { SHARE_PAGE_ID, shareUrl } from '../../share/urlCodec.ts';

export const BUILDER_PAGE_ID = SHARE_PAGE_ID;

export type ExperimentLink =
  | { ok: true; link: string; runLeftOut: string | null }
  | { ok: false; problem: string };

/** The link reproducing `architecture` trained as `choice`, from the current page URL (its fragment replaced). */
export function experimentLink(pageUrl: string, architecture: ArchitectureSpec, choice: LauncherChoice): ExperimentLink {
  const modelProblems = validateArchitecture(architecture);
  if (modelProblems.length > 0) return { ok: false, problem: `The model cannot be shared until it is valid: ${modelProblems.join('; ')}.` };
  const run = shareRunOfLauncherChoice(choice);
  const runProblems = validateShareRun(run);
  if (runProblems.length > 0) {
    return { ok: true, link: shareUrl(pageUrl, { architecture }), runLeftOut: `The run settings are not in this link: ${runProblems.join('; ')}; fix them on the Runs page.` };
  }
  return { ok: true, link: shareUrl(pageUrl, { architecture, run }), runLeftOut: null };
}
