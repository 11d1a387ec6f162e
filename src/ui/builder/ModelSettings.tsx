// Settings of the whole model: width, norm, backbone and initialisation (docs/protocol.md §5), and its name.
// The name field holds at most the size policy's name length; the width is refused over its cap.
import { useState } from 'react';
import { MAX_NAME_LENGTH } from '../../config/sizePolicy.ts';
import type { BackboneChoice, InitScheme } from '../../model/architecture.ts';
import type { NormKind } from '../../model/languageModel.ts';
import { useBuilderStore } from '../../state/builderStore.ts';
import { NumberField } from '../common/NumberField.tsx';
import { ChoiceChips } from '../explorer/ChoiceChips.tsx';

const NORMS: readonly { value: NormKind; label: string }[] = [
  { value: 'rms', label: 'RMSNorm' },
  { value: 'layer', label: 'LayerNorm' },
];

const BACKBONES: readonly { value: BackboneChoice; label: string }[] = [
  { value: 'auto', label: 'auto' },
  { value: 'language-model', label: 'language model' },
  { value: 'autoencoder', label: 'autoencoder' },
];

const INITS: readonly { value: InitScheme; label: string }[] = [
  { value: 'paper', label: 'paper' },
  { value: 'current', label: 'current mad-lab' },
];

function ModelName() {
  const name = useBuilderStore((state) => state.spec.name ?? '');
  const setName = useBuilderStore((state) => state.setName);
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const commit = () => {
    if (draft === null) return;
    const result = setName(draft);
    setError(result.ok ? null : result.reason);
    if (result.ok) setDraft(null);
  };
  return (
    <div className="number-setting">
      <label htmlFor="model-name">Name</label>
      <input
        id="model-name"
        type="text"
        autoComplete="off"
        placeholder="unnamed"
        maxLength={MAX_NAME_LENGTH}
        value={draft ?? name}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? 'model-name-error' : undefined}
        onChange={(event) => setDraft(event.target.value)}
        onBlur={commit}
        onKeyDown={(event) => {
          if (event.key === 'Enter') commit();
        }}
      />
      {error && (
        <p id="model-name-error" className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

export function ModelSettings() {
  const spec = useBuilderStore((state) => state.spec);
  const { setDim, setNorm, setBackbone, setInit } = useBuilderStore.getState();
  const [backboneError, setBackboneError] = useState<string | null>(null);
  return (
    <section className="builder-panel model-settings" aria-labelledby="model-settings-title">
      <h2 id="model-settings-title" className="panel-title">
        Model
      </h2>
      <div className="model-settings-row">
        <ModelName />
        <NumberField label="Width d" value={spec.dim} onCommit={setDim} hint="128 in MAD" testId="model-dim" />
      </div>
      <fieldset className="picker">
        <legend>Norm</legend>
        <ChoiceChips name="builder-norm" choices={NORMS} selected={spec.norm ?? 'rms'} onSelect={setNorm} />
      </fieldset>
      <fieldset className="picker">
        <legend>Backbone</legend>
        <ChoiceChips
          name="builder-backbone"
          choices={BACKBONES}
          selected={spec.backbone ?? 'auto'}
          onSelect={(backbone) => {
            const result = setBackbone(backbone);
            setBackboneError(result.ok ? null : result.reason);
          }}
        />
        <p className={backboneError ? 'field-error' : 'field-hint'} role={backboneError ? 'alert' : undefined}>
          {backboneError ?? 'auto: the autoencoder for compression, the language model for every other task.'}
        </p>
      </fieldset>
      <fieldset className="picker">
        <legend>Initialisation</legend>
        <ChoiceChips name="builder-init" choices={INITS} selected={spec.init ?? 'paper'} onSelect={setInit} />
      </fieldset>
    </section>
  );
}
