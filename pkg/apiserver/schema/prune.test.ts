import { describe, expect, it } from 'vitest';
import type { Schema } from './types.ts';
import { findUnknownFields, pruneUnknownFields, unknownFieldMessage } from './prune.ts';
import { kusciaJobSchema, validJob } from './kuscia-job-schema.fixture.ts';

describe('pruneUnknownFields', () => {
  it('removes fields the schema does not declare and reports them sorted, with [i] for list items', () => {
    const job = validJob() as Record<string, any>;
    job.spec.foo = 1;
    job.spec.tasks.push({ alias: 'b', bar: { x: 1 } });
    job.extra = true;
    const pruned = pruneUnknownFields(job, kusciaJobSchema());
    expect(pruned).toEqual(['extra', 'spec.foo', 'spec.tasks[1].bar']);
    expect(job).toEqual({ ...validJob(), spec: { initiator: 'alice', tasks: [{ alias: 'a', taskID: 'task-a' }, { alias: 'b' }] } });
    expect(pruned.map(unknownFieldMessage)).toContain('unknown field "spec.foo"');
  });

  it('keeps apiVersion/kind/metadata at the root even when the schema omits them, but drops unknown metadata fields', () => {
    const schema: Schema = { type: 'object', properties: { spec: { type: 'object' } } };
    const obj = { apiVersion: 'v1', kind: 'X', metadata: { name: 'n', labels: { a: 'b' }, bogus: 1 }, spec: { gone: 1 } };
    expect(pruneUnknownFields(obj, schema)).toEqual(['metadata.bogus', 'spec.gone']);
    expect(obj).toEqual({ apiVersion: 'v1', kind: 'X', metadata: { name: 'n', labels: { a: 'b' } }, spec: {} });
  });

  it('keeps everything under x-kubernetes-preserve-unknown-fields but still prunes declared children', () => {
    const schema: Schema = {
      type: 'object',
      properties: {
        status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { strict: { type: 'object', properties: { a: { type: 'string' } } } } },
      },
    };
    const obj = { status: { free: { anything: [1] }, strict: { a: 'x', b: 'y' } } };
    expect(pruneUnknownFields(obj, schema)).toEqual(['status.strict.b']);
    expect(obj).toEqual({ status: { free: { anything: [1] }, strict: { a: 'x' } } });
  });

  it('keeps TypeMeta and ObjectMeta of embedded resources and prunes the rest against their schema', () => {
    const schema: Schema = {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: {
            template: { type: 'object', 'x-kubernetes-embedded-resource': true, properties: { spec: { type: 'object', properties: { image: { type: 'string' } } } } },
          },
        },
      },
    };
    const obj = { spec: { template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', junk: 1 }, spec: { image: 'i', cmd: 'x' }, other: 1 } } };
    expect(pruneUnknownFields(obj, schema)).toEqual(['spec.template.metadata.junk', 'spec.template.other', 'spec.template.spec.cmd']);
    expect(obj.spec.template).toEqual({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { image: 'i' } });
  });

  it('empties objects whose schema declares no properties (a CRD `type: object`)', () => {
    const schema: Schema = { type: 'object', properties: { spec: { type: 'object' } } };
    const obj = { spec: { a: 1 } };
    expect(pruneUnknownFields(obj, schema)).toEqual(['spec.a']);
    const builtin = { spec: { a: 1 } };
    expect(pruneUnknownFields(builtin, schema, { preserveUnspecifiedObjects: true })).toEqual([]);
    expect(builtin).toEqual({ spec: { a: 1 } });
  });

  it('prunes map values against additionalProperties', () => {
    const schema: Schema = { type: 'object', properties: { m: { type: 'object', additionalProperties: { type: 'object', properties: { a: { type: 'string' } } } } } };
    const obj = { m: { k1: { a: 'x', b: 'y' } } };
    expect(pruneUnknownFields(obj, schema)).toEqual(['m.k1.b']);
  });

  it('drops root meta fields silently when not treated as a resource root', () => {
    const obj = { kind: 'x', a: 1 };
    expect(pruneUnknownFields(obj, { type: 'object', properties: {} }, { isResourceRoot: false })).toEqual(['a']);
    expect(obj).toEqual({});
  });
});

describe('findUnknownFields', () => {
  it('reports without mutating', () => {
    const job = validJob() as Record<string, any>;
    job.spec.foo = 1;
    const before = structuredClone(job);
    expect(findUnknownFields(job, kusciaJobSchema())).toEqual(['spec.foo']);
    expect(job).toEqual(before);
  });
});
