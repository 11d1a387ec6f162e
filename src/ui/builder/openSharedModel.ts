// Opens what a share link carries: the architecture in the builder and, when the link has run
// settings, those in the Runs launcher. Decoding only reads; the model is replaced only when the
// link is valid (one undoable change), the launcher only when the model opened, and the library
// is never written. A run setting over a size limit is filled in as it is and named here, so the
// reader knows to change it on the Runs page, where Run waits until it is fixed.
import { modelId } from '../../model/architecture.ts';
import { useBuilderStore } from '../../state/builderStore.ts';
import { useLauncherStore } from '../../state/launcherStore.ts';
import { ShareLinkError } from '../../share/shareLinkError.ts';
import { decodeShareLink } from '../../share/urlCodec.ts';

export type OpenOutcome = { ok: true; message: string } | { ok: false; reason: string };

export function openSharedModel(linkText: string): OpenOutcome {
  let state;
  try {
    state = decodeShareLink(linkText);
  } catch (err) {
    if (err instanceof ShareLinkError) return { ok: false, reason: err.message };
    throw err;
  }
  const { architecture, run } = state;
  const result = useBuilderStore.getState().loadArchitecture(architecture);
  if (!result.ok) return { ok: false, reason: `This link describes a model the builder cannot open: ${result.reason}.` };
  const title = architecture.name ? `${architecture.name} (${modelId(architecture)})` : modelId(architecture);
  const undo = 'Undo brings back the model you had.';
  if (run === undefined) return { ok: true, message: `Opened the shared model ${title}. ${undo}` };
  const launcher = useLauncherStore.getState().openShareRun(run);
  if (!launcher.ok) return { ok: true, message: `Opened the shared model ${title}, but not its run settings: ${launcher.reason}. ${undo}` };
  if (launcher.problems.length > 0) {
    const over = launcher.problems.map((problem) => problem.message).join(' ');
    return { ok: true, message: `Opened the shared model ${title}, and its run settings on the Runs page, which cannot run as they are: ${over} ${undo}` };
  }
  return { ok: true, message: `Opened the shared model ${title}, and its run settings on the Runs page. ${undo}` };
}
