import { describe, expect, it } from 'vitest';
import type { Schema } from '../schema/types.ts';
import { mergeValues } from './field-set-merge.ts';

const listMap: Schema = {
  type: 'array',
  'x-kubernetes-list-type': 'map',
  'x-kubernetes-list-map-keys': ['name'],
  items: { type: 'object', properties: { name: { type: 'string' }, v: { type: 'string' }, w: { type: 'string' } } },
};
const items = (...names: string[]) => names.map((name) => ({ name }));

describe('mergeValues', () => {
  it('keeps live-only items in place and appends new configuration items', () => {
    expect(mergeValues(items('x', 'a'), items('a', 'y'), listMap)).toEqual(items('x', 'a', 'y'));
  });

  it('orders shared items the way the configuration does', () => {
    expect(mergeValues(items('a', 'b', 'c'), items('c', 'a'), listMap)).toEqual(items('b', 'c', 'a'));
  });

  it('merges matching items field by field, configuration winning', () => {
    expect(mergeValues([{ name: 'a', v: 'live', w: 'keep' }], [{ name: 'a', v: 'config' }], listMap)).toEqual([{ name: 'a', v: 'config', w: 'keep' }]);
  });

  it('replaces atomic values and keeps explicit nulls from the configuration', () => {
    const schema: Schema = { type: 'object', properties: { list: { type: 'array', items: { type: 'string' } }, s: { type: 'string' } } };
    expect(mergeValues({ list: ['a', 'b'], s: 'x', other: 1 }, { list: ['c'], s: null }, schema)).toEqual({ list: ['c'], s: null, other: 1 });
  });
});
