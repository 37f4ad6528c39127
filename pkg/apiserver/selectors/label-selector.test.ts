import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/errors.ts';
import { formatLabels, fromLabelSelector, labelSelectorFromSet, LabelRequirementError, parseLabelSelector } from './label-selector.ts';

function parseError(selector: string): ApiError {
  try {
    parseLabelSelector(selector);
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return e as ApiError;
  }
  throw new Error(`expected ${JSON.stringify(selector)} to be rejected`);
}

const nameRegexMsg =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

describe('parseLabelSelector matching', () => {
  const web = { app: 'web', tier: 'frontend', 'kuscia.secretflow/task-id': 't-1' };
  const cases: Array<[string, Record<string, string> | undefined, boolean]> = [
    ['app=web', web, true],
    ['app==web', web, true],
    ['app=db', web, false],
    ['app!=db', web, true],
    ['app!=web', web, false],
    ['missing!=x', web, true],
    ['app in (db,web)', web, true],
    ['app in (db)', web, false],
    ['app notin (db)', web, true],
    ['missing notin (db)', web, true],
    ['app notin (web)', web, false],
    ['app', web, true],
    ['missing', web, false],
    ['!missing', web, true],
    ['!app', web, false],
    ['app=web,tier=frontend', web, true],
    ['app=web,tier=backend', web, false],
    ['  app = web ,  tier in ( frontend )  ', web, true],
    ['kuscia.secretflow/task-id=t-1', web, true],
    ['app', undefined, false],
    ['!app', undefined, true],
    ['', web, true],
    ['x in (in)', { x: 'in' }, true],
    ['x=', { x: '' }, true],
    ['x in (a,,b)', { x: '' }, true],
    ['x in ()', { x: '' }, true],
    ['n>3', { n: '4' }, true],
    ['n<3', { n: '4' }, false],
    ['n>3', { n: 'four' }, false],
  ];
  it.each(cases)('%j against %j is %s', (selector, labels, expected) => {
    expect(parseLabelSelector(selector).matches(labels)).toBe(expected);
  });

  it('renders the canonical string sorted by key, values sorted', () => {
    expect(parseLabelSelector('z=1,a in (c,b),!m').toString()).toBe('a in (b,c),!m,z=1');
  });

  it('reports empty for an empty selector only', () => {
    expect(parseLabelSelector('').empty).toBe(true);
    expect(parseLabelSelector('a').empty).toBe(false);
  });

  it('exposes the exact-match value', () => {
    expect(parseLabelSelector('a=1,b in (2)').requiresExactMatch('b')).toBe('2');
    expect(parseLabelSelector('a!=1').requiresExactMatch('a')).toBeUndefined();
  });
});

describe('parseLabelSelector errors (kube-apiserver wording, 400 BadRequest)', () => {
  it('rejects an invalid key with the nil-path field error', () => {
    const err = parseError('app:monolith');
    expect(err.code).toBe(400);
    expect(err.reason).toBe('BadRequest');
    expect(err.message).toBe(`unable to parse requirement: <nil>: Invalid value: "app:monolith": ${nameRegexMsg}`);
  });

  it('rejects a bad key prefix', () => {
    expect(parseError('app.kubernetes_io/name=x').message).toBe(
      "unable to parse requirement: <nil>: Invalid value: \"app.kubernetes_io/name\": prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    );
  });

  it('rejects an invalid value with its values[i][key] path', () => {
    expect(parseError('app=demo-{nginx}').message).toBe(
      "unable to parse requirement: values[0][app]: Invalid value: \"demo-{nginx}\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    );
  });

  it('rejects a too-long value', () => {
    expect(parseError(`a=${'x'.repeat(64)}`).message).toBe(`unable to parse requirement: values[0][a]: Invalid value: "${'x'.repeat(64)}": must be no more than 63 characters`);
  });

  it.each([
    ['a b', "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    ['a=b c', "found 'c', expected: ',' or 'end of string'"],
    ['a=b,', "found '', expected: identifier after ','"],
    [',a', "found ',', expected: !, identifier, or 'end of string'"],
    ['a in b', "unable to parse requirement: found 'b' expected: '('"],
    ['a in (b', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['a foo b', "unable to parse requirement: found 'foo', expected: in, notin, =, ==, !=, gt, lt"],
    ['!a=b', "found '=', expected: ',' or 'end of string'"],
    ['a==(b)', "unable to parse requirement: found '(', expected: identifier"],
  ])('%j → %s', (selector, message) => {
    expect(parseError(selector).message).toBe(message);
  });
});

describe('fromLabelSelector (metav1.LabelSelector)', () => {
  it('combines matchLabels and matchExpressions', () => {
    const s = fromLabelSelector({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['a', 'b'] },
        { key: 'env', operator: 'NotIn', values: ['prod'] },
        { key: 'owner', operator: 'Exists' },
        { key: 'legacy', operator: 'DoesNotExist' },
      ],
    });
    expect(s.matches({ app: 'web', tier: 'b', owner: 'x' })).toBe(true);
    expect(s.matches({ app: 'web', tier: 'b', owner: 'x', env: 'prod' })).toBe(false);
    expect(s.matches({ app: 'web', tier: 'c', owner: 'x' })).toBe(false);
    expect(s.matches({ app: 'web', tier: 'a' })).toBe(false);
    expect(s.matches({ app: 'web', tier: 'a', owner: 'x', legacy: '1' })).toBe(false);
    expect(s.toString()).toBe('app=web,env notin (prod),!legacy,owner,tier in (a,b)');
  });

  it('nil selects nothing, empty selects everything', () => {
    expect(fromLabelSelector(undefined).matches({ a: 'b' })).toBe(false);
    expect(fromLabelSelector({}).matches({ a: 'b' })).toBe(true);
    expect(fromLabelSelector({}).matches(undefined)).toBe(true);
  });

  it('rejects unknown operators and empty In sets like Kubernetes', () => {
    expect(() => fromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] })).toThrow(
      new LabelRequirementError('"Gt" is not a valid label selector operator'),
    );
    expect(() => fromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] })).toThrow(
      "values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty",
    );
    expect(() => fromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] })).toThrow(
      'values: Invalid value: []string{"x"}: values set must be empty for exists and does not exist',
    );
  });
});

describe('set helpers', () => {
  it('labelSelectorFromSet matches exactly and formatLabels sorts', () => {
    const s = labelSelectorFromSet({ b: '2', a: '1' });
    expect(s.matches({ a: '1', b: '2', c: '3' })).toBe(true);
    expect(s.matches({ a: '1' })).toBe(false);
    expect(s.toString()).toBe('a=1,b=2');
    expect(formatLabels({ b: '2', a: '1' })).toBe('a=1,b=2');
    expect(formatLabels({})).toBe('<none>');
  });
});
