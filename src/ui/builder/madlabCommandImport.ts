// The way back from mad-lab: a `python -m benchmark …` or `python -m train …` command line turned
// into an architecture. Only what a command can say is read: --layers (mad-lab's registry names,
// which are ours), --dim and --backbone; the norm follows the entry point (benchmark.py: RMSNorm,
// train.py: LayerNorm, docs/protocol.md §5.1). Layer configs are mad-lab's defaults, as the command's are.
import { architectureFromLayers, validateArchitecture, type ArchitectureSpec, type BackboneChoice } from '../../model/architecture.ts';

export class MadlabCommandError extends Error {
  override readonly name = 'MadlabCommandError';
}

const BACKBONES: readonly BackboneChoice[] = ['language-model', 'autoencoder'];

export function architectureFromMadlabCommand(command: string): ArchitectureSpec {
  // Shell line continuations ('\' at a line end) and any spacing between words.
  const words = command.replace(/\\\r?\n/g, ' ').trim().split(/\s+/);
  const script = /^-m$/.test(words[1] ?? '') ? words[2] : undefined;
  if (words[0]?.startsWith('python') !== true || (script !== 'benchmark' && script !== 'train')) {
    throw new MadlabCommandError("Paste a mad-lab command that starts with 'python -m benchmark' or 'python -m train'.");
  }
  const valueOf = (flag: string): string | undefined => {
    const at = words.indexOf(flag);
    return at === -1 ? undefined : words[at + 1];
  };
  const layersAt = words.indexOf('--layers');
  const nextFlag = words.findIndex((w, i) => i > layersAt && w.startsWith('--'));
  const layers = layersAt === -1 ? [] : words.slice(layersAt + 1, nextFlag === -1 ? undefined : nextFlag);
  if (layers.length === 0) throw new MadlabCommandError('The command has no --layers list, so it names no architecture.');
  const dimText = valueOf('--dim');
  const dim = dimText === undefined ? 128 : Number(dimText);
  const backbone = valueOf('--backbone');
  if (backbone !== undefined && !BACKBONES.includes(backbone as BackboneChoice)) {
    throw new MadlabCommandError(`--backbone must be ${BACKBONES.join(' or ')}, got '${backbone}'.`);
  }
  const spec = architectureFromLayers(layers, {
    dim,
    ...(backbone ? { backbone: backbone as BackboneChoice } : {}),
    ...(script === 'train' ? { norm: 'layer' as const } : {}),
  });
  const problems = validateArchitecture(spec);
  if (problems.length > 0) throw new MadlabCommandError(`The command describes a model the lab cannot build: ${problems.join('; ')}.`);
  return spec;
}
