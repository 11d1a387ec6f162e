import { describe, expect, it } from 'vitest';
import { loadPresets } from '../model/presets.ts';
import { architectureFromLayers, type ArchitectureSpec } from '../model/architecture.ts';
import { makeSetting } from '../tasks/settings.ts';
import { encodeBase64Url } from './base64url.ts';
import { ShareLinkError, type ShareLinkProblem } from './shareLinkError.ts';
import { MAX_SHARE_JSON_LENGTH, MAX_SHARE_LINK_LENGTH, type ShareState } from './shareState.ts';
import { decodeShareLink, encodeShareLink, hasShareLink, isBareShareFragment, LINK_FORMAT_VERSION, shareUrl } from './urlCodec.ts';

const roundTrip = (state: ShareState): ShareState => decodeShareLink(encodeShareLink(state));

/** The ShareLinkError `text` is refused with (fails the test when it decodes). */
function refusal(text: string): ShareLinkError {
  try {
    decodeShareLink(text);
  } catch (err) {
    expect(err).toBeInstanceOf(ShareLinkError);
    return err as ShareLinkError;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be refused`);
}

const expectRefused = (text: string, problem: ShareLinkProblem, message: RegExp): void => {
  const err = refusal(text);
  expect(err.problem).toBe(problem);
  expect(err.message).toMatch(message);
  // One sentence for the user.
  expect(err.message.trim().endsWith('.')).toBe(true);
};

/** A link whose v1 data is this JSON text, written by hand. */
const v1 = (json: string): string => `mad=v1.${encodeBase64Url(json)}`;
/** The same for v2. */
const v2 = (json: string): string => `mad=v2.${encodeBase64Url(json)}`;

const overridden: ArchitectureSpec = {
  version: 1,
  name: 'Mamba, wide state ✓',
  dim: 64,
  layers: [
    { type: 'mamba', config: { d_state: 16, dt_min: 0.0005 } },
    { type: 'mh-sliding-attention', config: { window_size: [8, 8], rotary_emb_dim: 4 } },
    { type: 'swiglu' },
  ],
  norm: 'layer',
  init: 'current',
  backbone: 'language-model',
};

describe('share link round trip', () => {
  it('reproduces every preset exactly', () => {
    for (const preset of loadPresets()) expect(roundTrip({ architecture: preset.architecture }), preset.id).toEqual({ architecture: preset.architecture });
  });

  it('reproduces overrides, options, names and floats exactly, and keeps absent fields absent', () => {
    const floats: ArchitectureSpec = {
      version: 1,
      dim: 128,
      layers: [{ type: 'mamba', config: { dt_min: 0.1 + 0.2, dt_max: 1 / 3, dt_scale: 1e-7 } }, { type: 'mlp', config: {} }, { type: 'mlp' }],
    };
    for (const architecture of [overridden, floats]) {
      const decoded = roundTrip({ architecture });
      expect(decoded).toEqual({ architecture });
      expect(Object.keys(decoded.architecture).sort()).toEqual(Object.keys(architecture).sort());
      decoded.architecture.layers.forEach((layer, i) => expect('config' in layer).toBe('config' in architecture.layers[i]!));
    }
    expect(roundTrip({ architecture: floats }).architecture.layers[0]!.config!.dt_min).toBe(0.30000000000000004);
  });

  it('reproduces each kind of run selection with its training hyper-parameters', () => {
    const architecture = architectureFromLayers(['mh-attention', 'swiglu']);
    const runs: ShareState['run'][] = [
      { selection: { kind: 'setting', setting: makeSetting('in-context-recall') } },
      {
        selection: { kind: 'setting', setting: makeSetting('fuzzy-in-context-recall', { kMotifSize: 3, vMotifSize: 3, multiQuery: false, seqLen: 1024, seed: 0 }) },
        training: { lr: 3e-4 * 1.1, weightDecay: 0, epochs: 7, batchSize: 32, scheduler: 'none', minLr: 0, earlyStop: true, stopPatience: 3, plateauPatience: 0, plateauFactor: 0.25, seed: 99 },
      },
      { selection: { kind: 'task-grid', task: 'compression' }, training: {} },
      { selection: { kind: 'protocol', profile: 'standard' }, training: { seed: 1 } },
    ];
    for (const run of runs) expect(roundTrip({ architecture, run })).toEqual({ architecture, run });
  });

  it('reproduces the demo scale of a task grid and of a protocol', () => {
    const architecture = architectureFromLayers(['mh-hyena', 'swiglu']);
    const runs: ShareState['run'][] = [
      { selection: { kind: 'task-grid', task: 'memorization' }, demo: { numTrainExamples: 256, numTestExamples: 64, epochs: 3 } },
      { selection: { kind: 'protocol', profile: 'quick' }, training: { batchSize: 16, seed: 4 }, demo: { numTrainExamples: 1, numTestExamples: 2, epochs: 1 } },
    ];
    for (const run of runs) expect(roundTrip({ architecture, run })).toEqual({ architecture, run });
  });

  it('refuses to encode a demo scale for one setting, which carries its own sizes', () => {
    const run = { selection: { kind: 'setting' as const, setting: makeSetting('memorization') }, demo: { numTrainExamples: 8, numTestExamples: 8, epochs: 1 } };
    expect(() => encodeShareLink({ architecture: architectureFromLayers(['mlp']), run })).toThrow(/run\.demo applies to a task grid or a protocol/);
  });

  it('is compact: the default Transformer fits in 40 characters', () => {
    const link = encodeShareLink({ architecture: architectureFromLayers(['mh-attention', 'swiglu', 'mh-attention', 'swiglu']) });
    expect(link).toBe('mad=v2.eyJhIjoibUEtU2ctbUEtU2cifQ');
    expect(link.length).toBeLessThanOrEqual(40);
  });

  it('writes the route of the page that opens links, and recognises the bare fragments of older links', () => {
    const state: ShareState = { architecture: overridden };
    const url = shareUrl('https://lab.example/app/?x=1#/runs', state);
    expect(url.startsWith('https://lab.example/app/?x=1#/builder&mad=v2.')).toBe(true);
    expect(decodeShareLink(url)).toEqual(state);
    expect(isBareShareFragment(url.slice(url.indexOf('#') + 1))).toBe(false);
    expect(isBareShareFragment('mad=v1.eyJhIjoibUEtU2ctbUEtU2cifQ')).toBe(true);
    expect(isBareShareFragment('/explorer')).toBe(false);
  });

  it('reads a full URL, a fragment with other parameters, and a link wrapped across lines', () => {
    const state: ShareState = { architecture: overridden };
    const url = shareUrl('https://lab.example/app/?x=1#old=2', state);
    expect(decodeShareLink(url)).toEqual(state);
    expect(decodeShareLink(`https://lab.example/app/#${encodeShareLink(state)}`)).toEqual(state);
    const fragment = encodeShareLink(state);
    expect(decodeShareLink(`#view=radar&${fragment}`)).toEqual(state);
    expect(decodeShareLink(fragment.slice('mad='.length))).toEqual(state);
    expect(decodeShareLink(`${fragment.slice(0, 40)}\n  ${fragment.slice(40)}`)).toEqual(state);
    expect(hasShareLink(url)).toBe(true);
    expect(hasShareLink('#view=radar')).toBe(false);
  });

  it('refuses to encode an invalid state instead of writing a link that cannot open', () => {
    expect(() => encodeShareLink({ architecture: { ...architectureFromLayers(['mlp']), dim: 0 } })).toThrow(/dim must be an integer/);
  });
});

describe('links written by earlier versions keep opening (frozen v1 strings)', () => {
  // Written by MAD Lab 0.1 (format v1). Never change these strings: a link shared today must
  // decode to the same state in every later version.
  const FROZEN_V1: [string, ShareState][] = [
    ['mad=v1.eyJhIjoibUEtU2ctbUEtU2cifQ', { architecture: architectureFromLayers(['mh-attention', 'swiglu', 'mh-attention', 'swiglu']) }],
    ['mad=v1.eyJhIjoibUgtU2ctbUEtU2ciLCJubSI6IlN0cmlwZWQgSHllbmEifQ', { architecture: { ...architectureFromLayers(['mh-hyena', 'swiglu', 'mh-attention', 'swiglu']), name: 'Striped Hyena' } }],
    [
      'mad=v1.eyJhIjoiTWItbUFzLVNnIiwiZCI6NjQsImMiOnsiMCI6eyJkX3N0YXRlIjoxNiwiZHRfbWluIjowLjAwMDV9LCIxIjp7IndpbmRvd19zaXplIjpbOCw4XSwicm90YXJ5X2VtYl9kaW0iOjR9fSwiYiI6Imxhbmd1YWdlLW1vZGVsIiwibiI6ImxheWVyIiwiaSI6ImN1cnJlbnQiLCJubSI6Ik1hbWJhLCB3aWRlIHN0YXRlIOKckyIsInIiOnsicyI6eyJ0IjoiTlIiLCJ2cyI6NDgsImZuIjowLjYsIm52cyI6MTZ9LCJoIjp7ImxyIjowLjAwMDMsIndkIjowLjEsImUiOjIwLCJzIjo3fX19',
      {
        architecture: overridden,
        run: {
          selection: { kind: 'setting', setting: makeSetting('noisy-in-context-recall', { vocabSize: 48, noiseVocabSize: 16, fracNoise: 0.6 }) },
          training: { lr: 0.0003, weightDecay: 0.1, epochs: 20, seed: 7 },
        },
      },
    ],
    ['mad=v1.eyJhIjoiTWItTWItTWItTWIiLCJyIjp7InAiOiJxdWljayJ9fQ', { architecture: architectureFromLayers(['mamba', 'mamba', 'mamba', 'mamba']), run: { selection: { kind: 'protocol', profile: 'quick' } } }],
    [
      'mad=v1.eyJhIjoiSGUtTW9FLW1BLU1vRSIsInIiOnsiZyI6IlNDIiwiaCI6eyJzY2giOiJwbGF0ZWF1IiwicGYiOjAuNSwiZXMiOnRydWV9fX0',
      {
        architecture: architectureFromLayers(['hyena-experts', 'moe-mlp', 'mh-attention', 'moe-mlp']),
        run: { selection: { kind: 'task-grid', task: 'selective-copying' }, training: { scheduler: 'plateau', plateauFactor: 0.5, earlyStop: true } },
      },
    ],
  ];

  it('decodes each frozen link to its state', () => {
    for (const [link, state] of FROZEN_V1) expect(decodeShareLink(link)).toEqual(state);
  });

  it('v2 writes what v1 wrote for states without a demo scale, under its own version', () => {
    expect(LINK_FORMAT_VERSION).toBe(2);
    for (const [link, state] of FROZEN_V1) expect(encodeShareLink(state)).toBe(link.replace('mad=v1.', 'mad=v2.'));
  });
});

describe('links written in format v2 keep opening (frozen v2 strings)', () => {
  // Written by MAD Lab 0.2 (format v2). Never change these strings.
  const FROZEN_V2: [string, ShareState][] = [
    [
      'mad=v2.eyJhIjoibUgtU2ciLCJkIjoxNiwiciI6eyJnIjoiTSIsImgiOnsicyI6M30sImRzIjpbMjU2LDY0LDNdfX0',
      {
        architecture: { ...architectureFromLayers(['mh-hyena', 'swiglu']), dim: 16 },
        run: { selection: { kind: 'task-grid', task: 'memorization' }, training: { seed: 3 }, demo: { numTrainExamples: 256, numTestExamples: 64, epochs: 3 } },
      },
    ],
    ['mad=v2.eyJhIjoiTWItTWItTWItTWIiLCJyIjp7InAiOiJxdWljayJ9fQ', { architecture: architectureFromLayers(['mamba', 'mamba', 'mamba', 'mamba']), run: { selection: { kind: 'protocol', profile: 'quick' } } }],
  ];

  it('decodes each frozen link to its state, and encoding writes it back byte for byte', () => {
    for (const [link, state] of FROZEN_V2) {
      expect(decodeShareLink(link)).toEqual(state);
      expect(encodeShareLink(state)).toBe(link);
    }
  });
});

describe('links that cannot open say why in one sentence', () => {
  const good = encodeShareLink({ architecture: overridden, run: { selection: { kind: 'task-grid', task: 'memorization' } } });

  it('text that is no link', () => {
    expectRefused('https://lab.example/app/', 'not-a-link', /not a MAD Lab link/);
    expectRefused('', 'not-a-link', /not a MAD Lab link/);
    expectRefused('mad=1.eyJhIjoiTSJ9', 'malformed', /must start with a format version such as 'v2\.'/);
  });

  it('a link from a newer MAD Lab, and a version nobody wrote', () => {
    expectRefused('mad=v3.eyJhIjoiTSJ9', 'future-version', /made by a newer MAD Lab \(format v3\); this version reads up to v2/);
    expectRefused('#mad=v17.anything', 'future-version', /format v17/);
    expectRefused('mad=v0.eyJhIjoiTSJ9', 'malformed', /format v0, which no MAD Lab ever wrote/);
  });

  it('damaged base64, damaged JSON and a truncated link', () => {
    expectRefused('mad=v1.eyJhIjoiTSJ9*', 'malformed', /damaged \(character "\*" at position 13\)/);
    expectRefused(v1('{"a":"M",}'), 'malformed', /not JSON/);
    expectRefused(good.slice(0, good.length - 20), 'truncated', /incomplete/);
    expectRefused(good.slice(0, 13), 'truncated', /incomplete/);
    expectRefused('mad=v1.e', 'truncated', /incomplete/);
  });

  it('well-formed data of the wrong shape', () => {
    expectRefused(v1('[1,2]'), 'malformed', /expected an object/);
    expectRefused(v1('{"a":"M","zz":1}'), 'malformed', /unknown field zz/);
    expectRefused(v1('{"a":"M","c":{"3":{}}}'), 'malformed', /overrides for layer "3", which the model does not have/);
    expectRefused(v1('{"a":"M","r":{"g":"C","p":"quick"}}'), 'malformed', /exactly one of a setting, a task grid or a protocol/);
    // v1 never carried a demo scale; v2 carries it as three numbers.
    expectRefused(v1('{"a":"M","r":{"g":"M","ds":[1,1,1]}}'), 'malformed', /unknown field ds/);
    expectRefused(v2('{"a":"M","r":{"g":"M","ds":[1,1]}}'), 'malformed', /demo scale is not three numbers/);
  });

  it('an invalid architecture or run, with validateArchitecture’s words', () => {
    expectRefused(v1('{"a":"mA-Xy"}'), 'invalid', /unknown layer "Xy"/);
    expectRefused(v1('{"a":""}'), 'invalid', /layers is empty/);
    expectRefused(v1('{"a":"mA","c":{"0":{"n_heads":3}}}'), 'invalid', /invalid model or run: architecture: layers\[0\]: mh-attention/);
    expectRefused(v1('{"a":"M","d":"128"}'), 'invalid', /dim must be an integer/);
    expectRefused(v1('{"a":"M","r":{"g":"Q"}}'), 'invalid', /unknown task "Q"/);
    expectRefused(v1('{"a":"M","r":{"p":"huge"}}'), 'invalid', /profile must be one of quick, standard, full/);
    expectRefused(v1('{"a":"M","r":{"s":{"t":"M","vs":0}}}'), 'invalid', /vocabSize must be an integer ≥ 1/);
    expectRefused(v1('{"a":"M","r":{"g":"M","h":{"lr":-1}}}'), 'invalid', /training\.lr must be a number > 0/);
    expectRefused(v2('{"a":"M","r":{"p":"quick","ds":[256,0,2]}}'), 'invalid', /run\.demo\.numTestExamples must be an integer ≥ 1, got 0/);
    expectRefused(v2('{"a":"M","r":{"s":{"t":"M"},"ds":[256,64,2]}}'), 'invalid', /run\.demo applies to a task grid or a protocol/);
  });

  it('never throws anything but ShareLinkError: every truncation and single-character change of a link', () => {
    let opened = 0;
    const alphabet = 'AZaz09-_*=.';
    const variants: string[] = [];
    for (let cut = 0; cut <= good.length; cut++) variants.push(good.slice(0, cut));
    for (let i = 0; i < good.length; i++) for (const c of alphabet) variants.push(good.slice(0, i) + c + good.slice(i + 1));
    for (const text of variants) {
      try {
        decodeShareLink(text);
        opened++;
      } catch (err) {
        expect(err, text).toBeInstanceOf(ShareLinkError);
      }
    }
    // Some changes still decode (a change inside a number or the name); most are refused.
    expect(opened).toBeGreaterThan(0);
    expect(opened).toBeLessThan(variants.length / 2);
  });

  it('refuses a model over the size policy with its message: 3,000 layers in an 8 KB link, a 201-character name, d 4096', () => {
    const deep = v1(JSON.stringify({ a: new Array(3000).fill('M').join('-') }));
    expect(deep.length).toBeLessThan(9000);
    expectRefused(deep, 'invalid', /^This link describes a model over the size limits: Number of layers 3,000 is over the limit of 64 .*: use fewer layers\.$/);
    expectRefused(v2(JSON.stringify({ a: 'M', nm: 'n'.repeat(201) })), 'invalid', /Model name length 201 is over the limit of 200 \(a name is a label\): shorten the name\.$/);
    expectRefused(v1('{"a":"M","d":4096}'), 'invalid', /Model width 4,096 is over the limit of 2,048/);
  });

  it('refuses a link longer than any model within the policy makes, before decoding it', () => {
    // A 50 MB name once made a 70 MB link; decoding it froze the tab.
    const huge = v2(JSON.stringify({ a: 'M', nm: 'n'.repeat(MAX_SHARE_LINK_LENGTH) }));
    expectRefused(huge, 'invalid', /^This link is [\d,]+ characters long, over the limit of [\d,]+ \(a model of up to 64 layers with generous overrides fits well within it\): share a smaller model\.$/);
    // The limit leaves room: 64 layers, each with every key of the largest config overridden, and a long name.
    const layers = Array.from({ length: 64 }, () => ({ type: 'hyena', config: { order: 2, num_heads: 1, inner_factor: 4, num_blocks: 1, fused_bias_fc: false, outer_mixing: false, dropout: 0, proj_groups: 4, post_order_ffn: false, short_filter_order: 3, nested: true, activation: 'id', long_conv_cfg: { bias: true, filter_cls: 'implicit', filter_cfg: { order: 4 } } } }));
    const largest: ShareState = { architecture: { version: 1, name: 'é'.repeat(200), dim: 128, layers }, run: { selection: { kind: 'setting', setting: makeSetting('memorization') } } };
    const link = shareUrl('https://example.org/mad-lab/', largest);
    expect(link.length).toBeLessThan(MAX_SHARE_LINK_LENGTH / 2);
    expect(JSON.stringify(largest).length).toBeLessThan(MAX_SHARE_JSON_LENGTH / 2);
    expect(decodeShareLink(link)).toEqual(largest);
  });

  it('opens a link whose run is over the size limits: the launcher marks those values, the model still opens', () => {
    const state = decodeShareLink(v1('{"a":"M","r":{"s":{"t":"M","vs":2147483647}}}'));
    expect(state.run?.selection).toMatchObject({ kind: 'setting', setting: { task: 'memorization', vocabSize: 2_147_483_647 } });
  });
});
