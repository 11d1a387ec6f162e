import { describe, expect, it } from 'vitest';
import { layerDefaults } from '../../config/layerConfigs.ts';
import { changedFieldCount, configEntries, formatValue, overridesWith, parseFieldText, type ConfigEntry } from './configFields.ts';

const flatten = (entries: ConfigEntry[]): string[] =>
  entries.flatMap((e) => (e.kind === 'group' ? [`${e.path.join('.')}/`, ...flatten(e.entries)] : [`${e.path.join('.')}:${e.kind}`]));

describe('inspector fields from configs/layers', () => {
  it('mh-attention: every key but the model-owned dim, with a kind per value', () => {
    expect(flatten(configEntries(layerDefaults('mh-attention')))).toEqual([
      'causal:boolean',
      'n_heads:number',
      'rotary_emb_dim:number',
      'dropout:number',
      'window_size:number-list',
      'use_flash_attn:boolean',
    ]);
  });

  it('hyena: nested long_conv_cfg becomes a group with its own nested group', () => {
    const fields = flatten(configEntries(layerDefaults('hyena')));
    expect(fields).toContain('long_conv_cfg/');
    expect(fields).toContain('long_conv_cfg.filter_cfg/');
    expect(fields).toContain('long_conv_cfg.filter_cfg.order:number');
    expect(fields).toContain('activation:text');
    expect(fields).not.toContain('dim:number');
  });

  it('mlp: a null default is a derived field', () => {
    expect(flatten(configEntries(layerDefaults('mlp')))).toContain('dim_inner:derived');
  });

  it('parses typed text by field kind and says what it expected', () => {
    expect(parseFieldText('number', ' 8 ')).toEqual({ ok: true, value: 8 });
    expect(parseFieldText('number', '1e-5')).toEqual({ ok: true, value: 0.00001 });
    expect(parseFieldText('number', 'eight')).toEqual({ ok: false, reason: 'enter a number, not "eight"' });
    expect(parseFieldText('number', '')).toMatchObject({ ok: false });
    expect(parseFieldText('derived', '')).toEqual({ ok: true, value: null });
    expect(parseFieldText('derived', '256')).toEqual({ ok: true, value: 256 });
    expect(parseFieldText('number-list', '32, 32')).toEqual({ ok: true, value: [32, 32] });
    expect(parseFieldText('number-list', '-1 -1')).toEqual({ ok: true, value: [-1, -1] });
    expect(parseFieldText('number-list', '32, x')).toMatchObject({ ok: false });
    expect(parseFieldText('text', 'auto')).toEqual({ ok: true, value: 'auto' });
    expect(parseFieldText('text', '8')).toEqual({ ok: true, value: 8 });
  });

  it('formats values for display', () => {
    expect(formatValue([-1, -1])).toBe('-1, -1');
    expect(formatValue(null)).toBe('');
    expect(formatValue(true)).toBe('true');
  });

  it('keeps only what differs from the defaults, nested groups whole', () => {
    const defaults = layerDefaults('hyena');
    const changedOrder = overridesWith(defaults, {}, ['long_conv_cfg', 'filter_cfg', 'order'], 8);
    expect(changedOrder).toEqual({ long_conv_cfg: { bias: true, filter_cls: 'implicit', filter_cfg: { order: 8 } } });
    expect(changedFieldCount(defaults, changedOrder)).toBe(1);
    const alsoGroups = overridesWith(defaults, changedOrder, ['proj_groups'], 2);
    expect(changedFieldCount(defaults, alsoGroups)).toBe(2);
    const orderBack = overridesWith(defaults, alsoGroups, ['long_conv_cfg', 'filter_cfg', 'order'], 4);
    expect(orderBack).toEqual({ proj_groups: 2 });
    expect(overridesWith(defaults, orderBack, ['proj_groups'], 4)).toEqual({});
    expect(changedFieldCount(defaults, {})).toBe(0);
  });
});
