// The architecture Builder page: a palette of every layer, the model stack, the selected block's
// settings, live totals, presets, and sharing (link, JSON, mad-lab, library). Works without WebGPU:
// counting and exporting need no GPU.
import { useCallback, useMemo, useState } from 'react';
import { useBuilderStore } from '../../state/builderStore.ts';
import { useWebGpuSupport } from '../layout/useWebGpuSupport.ts';
import { AnnounceContext } from './announcer.ts';
import { modelFigures } from './builderCounts.ts';
import { Inspector } from './Inspector.tsx';
import { ModelSettings } from './ModelSettings.tsx';
import { ModelStack } from './ModelStack.tsx';
import { Palette } from './Palette.tsx';
import { PresetPicker } from './PresetPicker.tsx';
import { SharePanel } from './SharePanel.tsx';
import { Totals } from './Totals.tsx';
import { useOpeningModel, type LinkNotice } from './useOpeningModel.ts';
import { useUndoShortcuts } from './useUndoShortcuts.ts';
import { WebGpuNotice } from './WebGpuNotice.tsx';
import './builder.css';

const NOTICE_TITLES: Record<LinkNotice['kind'], string> = {
  opened: 'Shared model opened',
  failed: 'This link could not be opened',
  'draft-discarded': 'Your saved model was discarded',
};

function LinkNoticeBox({ notice, onDismiss }: { notice: LinkNotice; onDismiss: () => void }) {
  const problem = notice.kind !== 'opened';
  return (
    <section
      className={`builder-notice ${problem ? 'notice-error' : 'notice-ok'}`}
      role={problem ? 'alert' : 'status'}
      aria-labelledby="link-notice-title"
      data-testid="link-notice"
    >
      <h2 id="link-notice-title">{NOTICE_TITLES[notice.kind]}</h2>
      <p>{notice.text}</p>
      {notice.kind === 'failed' && <p>Nothing was changed: the model here and your saved library are as they were.</p>}
      <button type="button" className="button" onClick={onDismiss}>
        Dismiss
      </button>
    </section>
  );
}

function HistoryButtons({ announce }: { announce: (message: string) => void }) {
  const canUndo = useBuilderStore((state) => state.past.length > 0);
  const canRedo = useBuilderStore((state) => state.future.length > 0);
  const hasBlocks = useBuilderStore((state) => state.spec.layers.length > 0);
  const { undo, redo, clear } = useBuilderStore.getState();
  const run = (action: () => void, message: string) => () => {
    action();
    announce(message);
  };
  return (
    <div className="history-buttons" role="group" aria-label="History">
      <button type="button" className="button" disabled={!canUndo} aria-keyshortcuts="Control+Z" onClick={run(undo, 'Undone.')}>
        Undo <kbd>Ctrl+Z</kbd>
      </button>
      <button type="button" className="button" disabled={!canRedo} aria-keyshortcuts="Control+Shift+Z Control+Y" onClick={run(redo, 'Redone.')}>
        Redo <kbd>Ctrl+Shift+Z</kbd>
      </button>
      <button type="button" className="button" disabled={!hasBlocks} onClick={run(clear, 'Removed every block.')}>
        Clear model
      </button>
    </div>
  );
}

export function Builder() {
  const spec = useBuilderStore((state) => state.spec);
  const check = useBuilderStore((state) => state.check);
  const counting = useBuilderStore((state) => state.counting);
  const support = useWebGpuSupport();
  // The memory figure is planned for this machine's kernels once the probe knows the adapter; until
  // then (and without WebGPU) for a CPU adapter's, so on SwiftShader it never changes under the user.
  const target = support.status === 'available' ? support.target : 'cpu';
  const figures = useMemo(() => modelFigures(spec, check, counting, target), [spec, check, counting, target]);
  const [announcement, setAnnouncement] = useState('');
  // A repeated message must still be read out: alternate a trailing no-break space to change the text.
  const announce = useCallback((message: string) => setAnnouncement((previous) => (previous === message ? `${message}\u00a0` : message)), []);
  const [linkNotice, dismissLinkNotice] = useOpeningModel();
  useUndoShortcuts(announce);

  return (
    <AnnounceContext value={announce}>
      <div className="builder">
        <h1 className="visually-hidden">Architecture Builder</h1>
        <WebGpuNotice />
        {linkNotice && <LinkNoticeBox notice={linkNotice} onDismiss={dismissLinkNotice} />}
        <div className="builder-toolbar">
          <PresetPicker />
          <HistoryButtons announce={announce} />
        </div>
        <div className="builder-columns">
          <Palette />
          <div className="builder-column">
            <ModelStack figures={figures} />
            <ModelSettings />
          </div>
          <div className="builder-column">
            <Totals figures={figures} />
            <Inspector />
          </div>
        </div>
        <SharePanel />
        <p className="visually-hidden" aria-live="polite" data-testid="builder-announcer">
          {announcement}
        </p>
      </div>
    </AnnounceContext>
  );
}
