import { describe, expect, it } from 'vitest';
import { FieldSet } from './field-set.ts';
import { decodeFieldsV1, decodeFieldsV1Form, encodeFieldsV1, FieldsV1DecodeError } from './field-set-fieldsv1.ts';
import { fieldElement as f, indexElement, keyElement, pathToString, valueElement } from './field-set-path.ts';

describe('FieldsV1 encoding', () => {
  it('encodes list-map keys with sorted key fields and marks nodes that are members with "."', () => {
    const item = [f('spec'), f('ports'), keyElement([['protocol', 'TCP'], ['containerPort', 80]])];
    const set = FieldSet.of(item, [...item, f('containerPort')], [...item, f('protocol')], [f('metadata'), f('labels'), f('app')]);
    expect(encodeFieldsV1(set)).toEqual({
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:spec': { 'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {}, 'f:protocol': {} } } },
    });
    expect(JSON.stringify(encodeFieldsV1(set))).toContain('"k:{\\"containerPort\\":80,\\"protocol\\":\\"TCP\\"}":{".":{},');
  });

  it('round-trips keys, set values and indexes', () => {
    const raw = {
      'f:metadata': { 'f:finalizers': { '.': {}, 'v:"kuscia.io/cleanup"': {} } },
      'f:spec': {
        '.': {},
        'f:containers': { 'k:{"name":"app"}': { '.': {}, 'f:image': {}, 'f:name': {} } },
        'f:args': { 'i:0': {} },
      },
    };
    const set = decodeFieldsV1(raw);
    expect(set.has([f('spec')])).toBe(true);
    expect(set.has([f('spec'), f('containers'), keyElement([['name', 'app']]), f('image')])).toBe(true);
    expect(set.has([f('metadata'), f('finalizers'), valueElement('kuscia.io/cleanup')])).toBe(true);
    expect(set.has([f('spec'), f('args'), indexElement(0)])).toBe(true);
    expect(set.has([f('metadata')])).toBe(false);
    expect(decodeFieldsV1(encodeFieldsV1(set)).equals(set)).toBe(true);
    expect(encodeFieldsV1(set)).toEqual({
      'f:metadata': { 'f:finalizers': { '.': {}, 'v:"kuscia.io/cleanup"': {} } },
      'f:spec': { '.': {}, 'f:args': { 'i:0': {} }, 'f:containers': { 'k:{"name":"app"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
    });
  });

  it('rejects malformed keys', () => {
    expect(() => decodeFieldsV1({ 'x:foo': {} })).toThrow(FieldsV1DecodeError);
    expect(() => decodeFieldsV1({ 'k:[1]': {} })).toThrow(FieldsV1DecodeError);
    expect(() => decodeFieldsV1({ '.': {} })).toThrow(FieldsV1DecodeError);
  });

  it('prints paths like Kubernetes conflict messages', () => {
    expect(pathToString([f('spec'), f('containers'), keyElement([['name', 'nginx']]), f('image')])).toBe('.spec.containers[name="nginx"].image');
    expect(pathToString([f('metadata'), f('finalizers'), valueElement('a')])).toBe('.metadata.finalizers[="a"]');
  });
});

describe('FieldSet algebra', () => {
  const a = [f('a')];
  const ab = [f('a'), f('b')];
  const c = [f('c')];
  it('union, intersection and per-path difference', () => {
    const s1 = FieldSet.of(a, ab);
    const s2 = FieldSet.of(ab, c);
    expect(s1.union(s2).paths().map(pathToString)).toEqual(['.a', '.c', '.a.b']);
    expect(s1.intersection(s2).paths().map(pathToString)).toEqual(['.a.b']);
    // Difference is per path: removing `.a` keeps `.a.b`.
    expect(s1.difference(FieldSet.of(a)).paths().map(pathToString)).toEqual(['.a.b']);
    expect(s1.recursiveDifference(FieldSet.of(a)).isEmpty()).toBe(true);
  });
});

describe('FieldsV1 canonical form', () => {
  const canonical = {
    'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
    'f:spec': { 'f:containers': { 'k:{"name":"app"}': { '.': {}, 'f:image': {}, 'f:name': {} }, 'k:{"name":"b"}': { '.': {}, 'f:name': {} } } },
    'f:status': { 'f:conditions': { 'k:{"type":"Ready"}': { 'f:status': {} } } },
  };

  it('is recognised exactly when re-encoding would write the same JSON', () => {
    const spellings: unknown[] = [
      canonical,
      // keys out of order
      { 'f:spec': canonical['f:spec'], 'f:metadata': canonical['f:metadata'], 'f:status': canonical['f:status'] },
      // "." not first
      { ...canonical, 'f:metadata': { 'f:labels': { 'f:app': {}, '.': {} } } },
      // "." alone: a plain member, encoded as {}
      { ...canonical, 'f:metadata': { 'f:labels': { '.': {} } } },
      // "." holding something
      { ...canonical, 'f:metadata': { 'f:labels': { '.': { 'f:x': {} }, 'f:app': {} } } },
      // a list-map key spelt with a space
      { ...canonical, 'f:status': { 'f:conditions': { 'k:{"type": "Ready"}': { 'f:status': {} } } } },
      // list-map items out of order
      { ...canonical, 'f:spec': { 'f:containers': { 'k:{"name":"b"}': { '.': {}, 'f:name': {} }, 'k:{"name":"app"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } },
    ];
    const verdicts = spellings.map((raw) => {
      const { set, canonical: isCanonical } = decodeFieldsV1Form(raw);
      expect(isCanonical).toBe(JSON.stringify(encodeFieldsV1(set)) === JSON.stringify(raw));
      return isCanonical;
    });
    expect(verdicts).toEqual([true, false, false, false, false, false, false]);
  });
});
