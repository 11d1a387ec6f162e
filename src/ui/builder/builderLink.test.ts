import { describe, expect, it } from 'vitest';
import { architectureFromLayers } from '../../model/architecture.ts';
import { decodeShareLink } from '../../share/urlCodec.ts';
import { builderLink } from './builderLink.ts';

describe('builder share links', () => {
  it('opens the builder page and decodes back to the same architecture', () => {
    const spec = { ...architectureFromLayers(['mh-hyena', 'swiglu', 'mh-attention', 'swiglu']), name: 'striped' };
    spec.layers[2] = { type: 'mh-attention', config: { n_heads: 8, rotary_emb_dim: 16 } };
    const link = builderLink('http://127.0.0.1:4173/#/explorer', spec);
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:4173\/#\/builder&mad=v1\./);
    expect(decodeShareLink(link).architecture).toEqual(spec);
  });
});
