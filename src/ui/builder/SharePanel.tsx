// Everything that takes the model elsewhere: a link, a JSON file, the lab's CLI, mad-lab, the local library.
import { CliCommandField } from './CliCommandField.tsx';
import { JsonTransfer } from './JsonTransfer.tsx';
import { MadlabExport } from './MadlabExport.tsx';
import { SavedLibrary } from './SavedLibrary.tsx';
import { ShareLink } from './ShareLink.tsx';

export function SharePanel() {
  return (
    <section className="builder-panel share-panel" aria-labelledby="share-title">
      <h2 id="share-title" className="panel-title">
        Share and save
      </h2>
      <div className="share-grid">
        <ShareLink />
        <JsonTransfer />
        <CliCommandField />
        <SavedLibrary />
        <MadlabExport />
      </div>
    </section>
  );
}
