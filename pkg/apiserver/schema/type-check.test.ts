import { describe, expect, it } from 'vitest';
import { findTypeMismatch } from './type-check.ts';
import type { Schema } from './types.ts';

const container: Schema = { type: 'object', properties: { name: { type: 'string' }, ports: { type: 'array', items: { type: 'object', properties: { containerPort: { type: 'integer', format: 'int32' } } } } } };
const pod: Schema = {
  type: 'object',
  properties: {
    metadata: { type: 'object', properties: { labels: { type: 'object', additionalProperties: { type: 'string' } } } },
    spec: { type: 'object', properties: { containers: { type: 'array', items: container }, priority: { type: 'integer', format: 'int32' } } },
    data: { type: 'object', additionalProperties: { type: 'string' } },
    quantity: { 'x-kubernetes-int-or-string': true },
  },
};

describe('findTypeMismatch', () => {
  it('accepts well-typed objects, nulls and unknown fields', () => {
    expect(findTypeMismatch({ spec: { containers: [{ name: 'a', ports: [{ containerPort: 80 }] }], priority: null }, extra: 1, quantity: '1Gi' }, pod)).toBeUndefined();
    expect(findTypeMismatch({ quantity: 2 }, pod)).toBeUndefined();
  });

  it('names the first field a Go decoder would refuse', () => {
    expect(findTypeMismatch({ data: { a: 1 } }, pod)).toEqual({ field: 'data.a', found: 'number', expected: 'string' });
    expect(findTypeMismatch({ spec: { containers: 'x' } }, pod)).toEqual({ field: 'spec.containers', found: 'string', expected: 'slice' });
    expect(findTypeMismatch({ spec: { containers: [{ ports: [{ containerPort: 'x' }] }] } }, pod)).toEqual({ field: 'spec.containers.ports.containerPort', found: 'string', expected: 'int32' });
    expect(findTypeMismatch({ spec: { priority: 1.5 } }, pod)).toEqual({ field: 'spec.priority', found: 'number 1.5', expected: 'int32' });
    expect(findTypeMismatch({ metadata: { labels: { a: true } } }, pod)).toEqual({ field: 'metadata.labels.a', found: 'bool', expected: 'string' });
    expect(findTypeMismatch({ quantity: { a: 1 } }, pod)).toEqual({ field: 'quantity', found: 'object', expected: 'IntOrString' });
  });
});
