import { describe, expect, it } from 'vitest';
import type { Schema } from './types.ts';
import { validateAgainstSchema } from './validate.ts';
import { kusciaJobSchema, validJob } from './kuscia-job-schema.fixture.ts';

const messages = (value: unknown, schema: Schema = kusciaJobSchema()) => validateAgainstSchema(value, schema).map((e) => e.toString());

function jobWith(spec: Record<string, unknown>): Record<string, unknown> {
  const job = validJob();
  Object.assign(job.spec as Record<string, unknown>, spec);
  return job;
}

describe('validateAgainstSchema — KusciaJob-like schema', () => {
  it('accepts a valid job', () => {
    expect(messages(validJob())).toEqual([]);
  });

  it('reports maximum violations like kube-openapi', () => {
    expect(messages(jobWith({ maxParallelism: 129 }))).toEqual([
      'spec.maxParallelism: Invalid value: 129: spec.maxParallelism in body should be less than or equal to 128',
    ]);
    expect(messages(jobWith({ maxParallelism: 0 }))).toEqual([
      'spec.maxParallelism: Invalid value: 0: spec.maxParallelism in body should be greater than or equal to 1',
    ]);
  });

  it('reports enum violations as Unsupported value with the supported list', () => {
    expect(messages(jobWith({ scheduleMode: 'Foo' }))).toEqual(['spec.scheduleMode: Unsupported value: "Foo": supported values: "Strict", "BestEffort"']);
  });

  it('reports too many and too few items', () => {
    const tasks = Array.from({ length: 129 }, (_, i) => ({ alias: `t${i}` }));
    expect(messages(jobWith({ tasks }))).toEqual(['spec.tasks: Too many: 129: must have at most 128 items']);
    expect(messages(jobWith({ tasks: [] }))).toEqual(['spec.tasks: Invalid value: 0: spec.tasks in body should have at least 1 items']);
  });

  it('reports pattern and required errors inside list items with [i] paths', () => {
    expect(messages(jobWith({ tasks: [{ alias: 'a', taskID: 'Bad_ID' }, { taskID: 'ok' }] }))).toEqual([
      "spec.tasks[0].taskID: Invalid value: \"Bad_ID\": spec.tasks[0].taskID in body should match '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'",
      'spec.tasks[1].alias: Required value',
    ]);
  });

  it('names the JSON kind (not the value) in type errors and tells integer from number', () => {
    expect(messages(jobWith({ maxParallelism: 'abc' }))).toEqual([
      'spec.maxParallelism: Invalid value: "string": spec.maxParallelism in body must be of type integer: "string"',
    ]);
    expect(messages(jobWith({ maxParallelism: 1.5 }))).toEqual([
      'spec.maxParallelism: Invalid value: "number": spec.maxParallelism in body must be of type integer: "number"',
    ]);
    expect(messages(jobWith({ tasks: 'x' }))).toEqual(['spec.tasks: Invalid value: "string": spec.tasks in body must be of type array: "string"']);
  });

  it('reports missing required fields of the spec', () => {
    const job = validJob();
    job.spec = {};
    expect(messages(job)).toEqual(['spec.initiator: Required value', 'spec.tasks: Required value']);
  });

  it('lets anything through under x-kubernetes-preserve-unknown-fields', () => {
    const job = validJob();
    job.status = { phase: 'Running', anything: { nested: [1, 'two'] } };
    expect(messages(job)).toEqual([]);
  });
});

describe('validateAgainstSchema — keywords', () => {
  const obj = (properties: Record<string, Schema>, required?: string[]): Schema => ({ type: 'object', properties, required });

  it('accepts null only for nullable fields', () => {
    const schema = obj({ a: { type: 'string', nullable: true }, b: { type: 'string' } });
    expect(messages({ a: null }, schema)).toEqual([]);
    expect(messages({ b: null }, schema)).toEqual(['b: Invalid value: "null": b in body must be of type string: "null"']);
  });

  it('accepts integers and strings for x-kubernetes-int-or-string', () => {
    const schema = obj({ port: { 'x-kubernetes-int-or-string': true } });
    expect(messages({ port: 8080 }, schema)).toEqual([]);
    expect(messages({ port: '50%' }, schema)).toEqual([]);
    expect(messages({ port: true }, schema)).toEqual(['port: Invalid value: "boolean": port in body must be of type integer,string: "boolean"']);
  });

  it('accepts integers where a number is declared', () => {
    expect(messages({ n: 3 }, obj({ n: { type: 'number' } }))).toEqual([]);
  });

  it('checks string lengths in code points', () => {
    const schema = obj({ s: { type: 'string', minLength: 2, maxLength: 3 } });
    expect(messages({ s: '日本語' }, schema)).toEqual([]);
    expect(messages({ s: 'a' }, schema)).toEqual(['s: Invalid value: "a": s in body should be at least 2 chars long']);
    expect(messages({ s: 'abcd' }, schema)).toEqual(['s: Too long: may not be more than 3 bytes']);
  });

  it('checks exclusive bounds and multipleOf, printing float limits like Go', () => {
    const schema = obj({
      i: { type: 'integer', minimum: 0, exclusiveMinimum: true, multipleOf: 5 },
      f: { type: 'number', maximum: 1000000, exclusiveMaximum: true, multipleOf: 0.5 },
    });
    expect(messages({ i: 0, f: 1000000 }, schema)).toEqual([
      'i: Invalid value: 0: i in body should be greater than 0',
      'f: Invalid value: 1000000: f in body should be less than 1000000',
    ]);
    expect(messages({ i: 7, f: 2000000.25 }, schema)).toEqual([
      'i: Invalid value: 7: i in body should be a multiple of 5',
      'f: Invalid value: 2000000.25: f in body should be a multiple of 0.5',
      'f: Invalid value: 2000000.25: f in body should be less than 1e+06',
    ]);
  });

  it('checks object property counts and additionalProperties schemas', () => {
    const schema = obj({ labels: { type: 'object', maxProperties: 2, additionalProperties: { type: 'string', maxLength: 3 } } });
    expect(messages({ labels: { a: 'x', b: 'yyyy' } }, schema)).toEqual(['labels.b: Too long: may not be more than 3 bytes']);
    expect(messages({ labels: { a: 'x', b: 'y', c: 'z' } }, schema)).toEqual(['labels: Too many: 3: must have at most 2 items']);
  });

  it('rejects undeclared properties when additionalProperties is false', () => {
    const schema = obj({ o: { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false } });
    expect(messages({ o: { a: 'x', b: 'y' } }, schema)).toEqual(['o: Invalid value: "b": o.b in body is a forbidden property']);
  });

  it('validates the string formats Kubernetes knows and ignores the others', () => {
    const schema = obj({ id: { type: 'string', format: 'uuid' }, t: { type: 'string', format: 'date-time' }, x: { type: 'string', format: 'int-or-whatever' } });
    expect(messages({ id: '123e4567-e89b-12d3-a456-426614174000', t: '2024-05-01T10:00:00Z', x: '?' }, schema)).toEqual([]);
    expect(messages({ id: 'abc', t: '2024-05-01 10:00' }, schema)).toEqual([
      'id: Invalid value: "abc": id in body must be of type uuid: "abc"',
      't: Invalid value: "2024-05-01 10:00": t in body must be of type date-time: "2024-05-01 10:00"',
    ]);
  });

  it('reports anyOf/oneOf/not failures with the <nil> path kube-apiserver prints', () => {
    const schema = obj({
      a: { type: 'string', anyOf: [{ pattern: '^x' }, { pattern: '^y' }] },
      b: { type: 'string', not: { pattern: '^z' } },
      c: { type: 'integer', oneOf: [{ minimum: 0 }, { maximum: 10 }] },
    });
    expect(messages({ a: 'xa', b: 'q', c: 20 }, schema)).toEqual([]);
    expect(messages({ a: 'q' }, schema)).toEqual([
      '<nil>: Invalid value: "": "a" must validate at least one schema (anyOf)',
      "a: Invalid value: \"q\": a in body should match '^x'",
    ]);
    expect(messages({ b: 'zz' }, schema)).toEqual(['<nil>: Invalid value: "": "b" must not validate the schema (not)']);
    expect(messages({ c: 5 }, schema)).toEqual(['<nil>: Invalid value: "": "c" must validate one and only one schema (oneOf). Found 2 valid alternatives']);
  });

  it('rejects duplicates in list-type set and map lists', () => {
    const schema = obj({
      tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
      ports: {
        type: 'array',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
        items: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, port: { type: 'integer' } } },
      },
    });
    expect(messages({ tags: ['a', 'b', 'a', 'a'], ports: [{ name: 'http', port: 80 }, { name: 'http', port: 81 }] }, schema)).toEqual([
      'tags[2]: Duplicate value: "a"',
      'ports[1]: Duplicate value: map[string]interface {}{"name":"http"}',
    ]);
  });

  it('validates apiVersion, kind and metadata of embedded resources', () => {
    const schema = obj({
      template: {
        type: 'object',
        'x-kubernetes-embedded-resource': true,
        'x-kubernetes-preserve-unknown-fields': true,
      },
    });
    expect(messages({ template: { apiVersion: 'v1', kind: 'Pod', metadata: { labels: { app: 'x' } } } }, schema)).toEqual([]);
    expect(messages({ template: { metadata: { name: 'a/b' } } }, schema)).toEqual([
      'template.apiVersion: Required value',
      'template.kind: Required value',
      "template.metadata.name: Invalid value: \"a/b\": may not contain '/'",
    ]);
    expect(messages({ template: { apiVersion: 'v1', kind: 'My_Kind' } }, schema)[0]).toBe(
      "template.kind: Invalid value: \"My_Kind\": may have mixed case, but should otherwise match: a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
    );
  });

  it('mounts error paths under a non-empty root path', () => {
    expect(validateAgainstSchema(5, { type: 'string' }, 'spec.x').map(String)).toEqual(['spec.x: Invalid value: "integer": spec.x in body must be of type string: "integer"']);
  });

  it('produces causes usable in a Status', () => {
    const [err] = validateAgainstSchema(jobWith({ scheduleMode: 'Foo' }), kusciaJobSchema());
    expect(err.cause()).toEqual({
      reason: 'FieldValueNotSupported',
      field: 'spec.scheduleMode',
      // apierrors.NewInvalid puts the field in `field` and only the body in `message`.
      message: 'Unsupported value: "Foo": supported values: "Strict", "BestEffort"',
    });
  });
});
