import { describe, expect, it } from 'vitest';
import type { Schema } from './types.ts';
import { applySchemaDefaults } from './defaults.ts';
import { pruneNonNullableNullsWithoutDefaults } from './null-pruning.ts';
import { kusciaJobSchema, validJob } from './kuscia-job-schema.fixture.ts';

describe('applySchemaDefaults', () => {
  it('fills missing fields, including inside array items', () => {
    const job = validJob();
    (job.spec as Record<string, unknown>).tasks = [{ alias: 'a', parties: [{ domainID: 'alice' }] }, { alias: 'b', priority: 1 }];
    applySchemaDefaults(job, kusciaJobSchema());
    expect(job.spec).toEqual({
      initiator: 'alice',
      scheduleMode: 'Strict',
      maxParallelism: 1,
      tasks: [
        { alias: 'a', priority: 100, tolerable: false, parties: [{ domainID: 'alice', role: '' }] },
        { alias: 'b', priority: 1, tolerable: false },
      ],
    });
  });

  it('does not touch fields that are set, nor create missing parent objects', () => {
    const job = validJob();
    Object.assign(job.spec as object, { scheduleMode: 'BestEffort', maxParallelism: 7 });
    applySchemaDefaults(job, kusciaJobSchema());
    expect(job.spec).toMatchObject({ scheduleMode: 'BestEffort', maxParallelism: 7 });
    expect(job).not.toHaveProperty('status');
  });

  it('replaces null by the default only when the field is not nullable', () => {
    const schema: Schema = {
      type: 'object',
      properties: { a: { type: 'string', default: 'x' }, b: { type: 'string', nullable: true, default: 'y' } },
    };
    const v = { a: null, b: null };
    applySchemaDefaults(v, schema);
    expect(v).toEqual({ a: 'x', b: null });
  });

  it('defaults additionalProperties values and object defaults are deep copies', () => {
    const schema: Schema = {
      type: 'object',
      properties: {
        resources: {
          type: 'object',
          additionalProperties: { type: 'object', properties: { limit: { type: 'object', default: { cpu: '1' }, properties: { cpu: { type: 'string' } } } } },
        },
      },
    };
    const v = { resources: { a: {}, b: {} } } as unknown as { resources: Record<string, { limit: { cpu: string } }> };
    applySchemaDefaults(v, schema);
    expect(v.resources.a.limit).toEqual({ cpu: '1' });
    v.resources.a.limit.cpu = '2';
    expect(v.resources.b.limit).toEqual({ cpu: '1' });
    const limitSchema = (schema.properties!.resources.additionalProperties as Schema).properties!.limit;
    expect(limitSchema.default).toEqual({ cpu: '1' });
  });

  it('defaults null array items from the items schema', () => {
    const schema: Schema = { type: 'object', properties: { l: { type: 'array', items: { type: 'string', default: 'd' } } } };
    const v = { l: ['a', null] };
    applySchemaDefaults(v, schema);
    expect(v.l).toEqual(['a', 'd']);
  });
});

describe('pruneNonNullableNullsWithoutDefaults', () => {
  it('drops nulls of non-nullable fields without defaults and keeps the rest for defaulting', () => {
    const schema: Schema = {
      type: 'object',
      properties: {
        a: { type: 'string' },
        b: { type: 'string', nullable: true },
        c: { type: 'string', default: 'z' },
        m: { type: 'object', additionalProperties: { type: 'string' } },
      },
    };
    const v = { a: null, b: null, c: null, m: { k: null }, unknown: null };
    pruneNonNullableNullsWithoutDefaults(v, schema);
    expect(v).toEqual({ b: null, c: null, m: {}, unknown: null });
    applySchemaDefaults(v, schema);
    expect(v).toEqual({ b: null, c: 'z', m: {}, unknown: null });
  });
});
