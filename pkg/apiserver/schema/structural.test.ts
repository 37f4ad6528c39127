import { describe, expect, it } from 'vitest';
import type { Schema } from './types.ts';
import { validateStructuralSchema } from './structural.ts';
import { kusciaJobSchema } from './kuscia-job-schema.fixture.ts';

const P = 'spec.versions[0].schema.openAPIV3Schema';
const check = (s: Schema) => validateStructuralSchema(s, P).map(String);
const withSpec = (spec: Schema): Schema => ({ type: 'object', properties: { metadata: { type: 'object' }, spec } });

describe('validateStructuralSchema', () => {
  it('accepts a KusciaJob-like schema', () => {
    expect(check(kusciaJobSchema())).toEqual([]);
  });

  it('requires a type on every specified field, array item and the root', () => {
    expect(check(withSpec({ properties: { a: { type: 'string' } } }))).toEqual([
      `${P}.properties[spec].type: Required value: must not be empty for specified object fields`,
    ]);
    expect(check(withSpec({ type: 'array', items: {} }))).toEqual([`${P}.properties[spec].items.type: Required value: must not be empty for specified array items`]);
    expect(check({ properties: { spec: { type: 'object' } } })).toEqual([`${P}.type: Required value: must not be empty at the root`]);
  });

  it('does not require a type for int-or-string and preserve-unknown-fields nodes', () => {
    expect(check(withSpec({ type: 'object', properties: { port: { 'x-kubernetes-int-or-string': true }, raw: { 'x-kubernetes-preserve-unknown-fields': true } } }))).toEqual(
      [],
    );
    expect(
      check(withSpec({ type: 'object', properties: { port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] } } })),
    ).toEqual([]);
  });

  it('requires items for arrays and an object root', () => {
    expect(check(withSpec({ type: 'array' }))).toEqual([`${P}.properties[spec].items: Required value: must be specified`]);
    expect(check({ type: 'string' })).toEqual([`${P}.type: Invalid value: "string": must be object at the root`]);
  });

  it('forbids types and extensions inside value validations, and fields missing from the structure', () => {
    expect(check(withSpec({ type: 'object', properties: { a: { type: 'string' } }, anyOf: [{ type: 'object', properties: { b: { minLength: 1 } } }] }))).toEqual([
      `${P}.properties[spec].anyOf[0].type: Forbidden: must be empty to be structural`,
      `${P}.properties[spec].properties[b]: Required value: because it is defined in ${P}.properties[spec].anyOf[0].properties[b]`,
    ]);
  });

  it('restricts root metadata to name and generateName', () => {
    expect(check({ type: 'object', properties: { metadata: { type: 'object', properties: { name: { type: 'string', maxLength: 10 } } } } })).toEqual([]);
    expect(check({ type: 'object', properties: { metadata: { type: 'object', properties: { labels: { type: 'object' } } } } })).toEqual([
      `${P}.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified`,
    ]);
  });

  it('forbids additionalProperties at the root and together with properties', () => {
    expect(check({ type: 'object', additionalProperties: { type: 'string' } })).toEqual([`${P}.additionalProperties: Forbidden: must not be used at the root`]);
    expect(check(withSpec({ type: 'object', properties: { a: { type: 'string' } }, additionalProperties: { type: 'string' } }))).toEqual([
      `${P}.properties[spec].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive`,
    ]);
  });

  it('requires embedded resources to be objects', () => {
    expect(check(withSpec({ type: 'object', properties: { t: { type: 'string', 'x-kubernetes-embedded-resource': true } } }))).toEqual([
      `${P}.properties[spec].properties[t].properties: Required value: must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields`,
      `${P}.properties[spec].properties[t].type: Invalid value: "string": must be object if x-kubernetes-embedded-resource is true`,
    ]);
    const embedded: Schema = { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true };
    expect(check(withSpec({ type: 'object', properties: { t: embedded } }))).toEqual([]);
  });

  it('validates defaults against their own schema', () => {
    const schema = kusciaJobSchema();
    schema.properties!.spec.properties!.maxParallelism.default = 200;
    schema.properties!.spec.properties!.scheduleMode.default = 'Sometimes';
    expect(check(schema)).toEqual([
      `${P}.properties[spec].properties[scheduleMode].default: Unsupported value: "Sometimes": supported values: "Strict", "BestEffort"`,
      `${P}.properties[spec].properties[maxParallelism].default: Invalid value: 200:  in body should be less than or equal to 128`,
    ]);
  });

  it('requires defaults to be pruned', () => {
    expect(check(withSpec({ type: 'object', default: { a: 'x', zzz: 1 }, properties: { a: { type: 'string' } } }))).toEqual([
      `${P}.properties[spec].default: Invalid value: {"a":"x","zzz":1}: must not have unknown fields`,
    ]);
  });

  it('forbids defaults in top-level metadata and uniqueItems', () => {
    expect(check({ type: 'object', properties: { metadata: { type: 'object', default: {} }, l: { type: 'array', uniqueItems: true, items: { type: 'string' } } } })).toEqual([
      `${P}.properties[metadata].default: Forbidden: must not be set in top-level metadata`,
      `${P}.properties[l].uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic`,
    ]);
  });

  it('checks list-type map keys', () => {
    const list = (items: Schema, keys?: string[]): Schema =>
      withSpec({ type: 'object', properties: { l: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': keys, items } } });
    expect(check(list({ type: 'object', required: ['name'], properties: { name: { type: 'string' } } }, ['name']))).toEqual([]);
    expect(check(list({ type: 'object', properties: { name: { type: 'string' } } }, ['name']))).toEqual([
      `${P}.properties[spec].properties[l].items.properties[name].default: Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property`,
    ]);
    expect(check(list({ type: 'object', required: ['name'], properties: { name: { type: 'string' } } }))).toEqual([
      `${P}.properties[spec].properties[l].x-kubernetes-list-map-keys: Required value: must not be empty if x-kubernetes-list-type is map`,
    ]);
    expect(check(list({ type: 'object', required: ['name'], properties: { name: { type: 'string' } } }, ['nope']))).toEqual([
      `${P}.properties[spec].properties[l].x-kubernetes-list-map-keys: Invalid value: []string{"nope"}: entries must all be names of item properties`,
    ]);
  });

  it('rejects unsupported types, $ref and a nullable root', () => {
    const schema = { type: 'object', nullable: true, properties: { a: { type: 'date' }, b: { $ref: '#/x', type: 'string' } } } as unknown as Schema;
    expect(check(schema)).toEqual([
      `${P}.nullable: Forbidden: nullable cannot be true at the root`,
      `${P}.properties[a].type: Unsupported value: "date": supported values: "array", "boolean", "integer", "number", "object", "string"`,
      `${P}.properties[b].$ref: Forbidden: $ref is not supported`,
    ]);
  });
});
