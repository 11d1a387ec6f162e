// Opens the architecture a share link carries in the builder. Decoding only reads; the model is
// replaced only when the link is valid (one undoable change), and nothing else is ever written.
import { modelId } from '../../model/architecture.ts';
import { useBuilderStore } from '../../state/builderStore.ts';
import { ShareLinkError } from '../../share/shareLinkError.ts';
import { decodeShareLink } from '../../share/urlCodec.ts';

export type OpenOutcome = { ok: true; message: string } | { ok: false; reason: string };

export function openSharedModel(linkText: string): OpenOutcome {
  let architecture;
  try {
    architecture = decodeShareLink(linkText).architecture;
  } catch (err) {
    if (err instanceof ShareLinkError) return { ok: false, reason: err.message };
    throw err;
  }
  const result = useBuilderStore.getState().loadArchitecture(architecture);
  if (!result.ok) return { ok: false, reason: `This link describes a model the builder cannot open: ${result.reason}.` };
  const title = architecture.name ? `${architecture.name} (${modelId(architecture)})` : modelId(architecture);
  return { ok: true, message: `Opened the shared model ${title}. Undo brings back the model you had.` };
}
