import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/errors.ts';
import { applyFieldLabelPolicy, coreFieldLabels, customResourceFieldLabelPolicy, defaultFieldLabelPolicy } from './field-label-policy.ts';
import { escapeFieldValue, parseFieldSelector } from './field-selector.ts';

function rejection(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).code).toBe(400);
    expect((e as ApiError).reason).toBe('BadRequest');
    return e as ApiError;
  }
  throw new Error('expected a rejection');
}

const fieldsOf = (values: Record<string, string>) => (f: string) => values[f];

describe('parseFieldSelector', () => {
  it('matches =, == and != terms ANDed together', () => {
    const s = parseFieldSelector('metadata.name=a,metadata.namespace==ns,status.phase!=Failed');
    expect(s.matches(fieldsOf({ 'metadata.name': 'a', 'metadata.namespace': 'ns', 'status.phase': 'Running' }))).toBe(true);
    expect(s.matches(fieldsOf({ 'metadata.name': 'a', 'metadata.namespace': 'ns', 'status.phase': 'Failed' }))).toBe(false);
    expect(s.matches(fieldsOf({ 'metadata.name': 'b', 'metadata.namespace': 'ns' }))).toBe(false);
    expect(s.requiresExactMatch('metadata.name')).toBe('a');
  });

  it('treats a missing field as the empty string', () => {
    expect(parseFieldSelector('spec.nodeName=').matches(fieldsOf({}))).toBe(true);
    expect(parseFieldSelector('spec.nodeName!=').matches(fieldsOf({}))).toBe(false);
  });

  it('unescapes \\, \\= and \\\\ in values', () => {
    const s = parseFieldSelector('metadata.name=a\\,b\\=c\\\\d');
    expect(s.requirements).toEqual([{ field: 'metadata.name', operator: '=', value: 'a,b=c\\d' }]);
    expect(s.matches(fieldsOf({ 'metadata.name': 'a,b=c\\d' }))).toBe(true);
    expect(escapeFieldValue('a,b=c\\d')).toBe('a\\,b\\=c\\\\d');
    expect(s.toString()).toBe('metadata.name=a\\,b\\=c\\\\d');
  });

  it('ignores empty terms and is empty for ""', () => {
    expect(parseFieldSelector('').empty).toBe(true);
    expect(parseFieldSelector(',a=b,').requirements).toHaveLength(1);
  });

  it('rejects malformed selectors with the fields package wording', () => {
    expect(rejection(() => parseFieldSelector('metadata.name')).message).toBe("invalid selector: 'metadata.name'; can't understand 'metadata.name'");
    expect(rejection(() => parseFieldSelector('a=b=c')).message).toBe('invalid field selector: unescaped character in value: 61');
    expect(rejection(() => parseFieldSelector('a=b\\x')).message).toBe('invalid field selector: invalid escape sequence: \\x');
    expect(rejection(() => parseFieldSelector('a=b\\')).message).toBe('invalid field selector: invalid escape sequence: \\');
  });
});

describe('field label policies', () => {
  it('built-ins without their own conversion use the "not a known field selector" wording', () => {
    const err = rejection(() => applyFieldLabelPolicy(parseFieldSelector('spec.foo=1'), defaultFieldLabelPolicy()));
    expect(err.message).toBe('"spec.foo" is not a known field selector: only "metadata.name", "metadata.namespace"');
  });

  it('custom resources say "field label not supported" and reject metadata.namespace when cluster-scoped', () => {
    expect(rejection(() => applyFieldLabelPolicy(parseFieldSelector('spec.foo=1'), customResourceFieldLabelPolicy(false))).message).toBe(
      'field label not supported: spec.foo',
    );
    expect(() => applyFieldLabelPolicy(parseFieldSelector('metadata.namespace=a'), customResourceFieldLabelPolicy(false))).not.toThrow();
    expect(rejection(() => applyFieldLabelPolicy(parseFieldSelector('metadata.namespace=a'), customResourceFieldLabelPolicy(true))).message).toBe(
      'field label not supported: metadata.namespace',
    );
  });

  it('pods accept spec.nodeName and rewrite the legacy spec.host', () => {
    const s = applyFieldLabelPolicy(parseFieldSelector('spec.host=n1,status.phase=Running'), coreFieldLabels.pods);
    expect(s.requirements.map((r) => r.field)).toEqual(['spec.nodeName', 'status.phase']);
    expect(rejection(() => applyFieldLabelPolicy(parseFieldSelector('spec.foo=1'), coreFieldLabels.pods)).message).toBe('field label not supported: spec.foo');
  });
});
