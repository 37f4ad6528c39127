import { describe, expect, it } from 'vitest';
import type { Schema } from '../schema/types.ts';
import { fieldSetOf } from './field-set-of.ts';
import { encodeFieldsV1 } from './field-set-fieldsv1.ts';

const podLike: Schema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        containers: {
          type: 'array',
          'x-kubernetes-patch-merge-key': 'name',
          'x-kubernetes-patch-strategy': 'merge',
          items: {
            type: 'object',
            properties: {
              name: { type: 'string' },
              image: { type: 'string' },
              ports: {
                type: 'array',
                'x-kubernetes-list-type': 'map',
                'x-kubernetes-list-map-keys': ['containerPort', 'protocol'],
                items: { type: 'object', properties: { containerPort: { type: 'integer' }, protocol: { type: 'string', default: 'TCP' } } },
              },
              args: { type: 'array', items: { type: 'string' } },
            },
          },
        },
        tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
        selector: { type: 'object', 'x-kubernetes-map-type': 'atomic', additionalProperties: { type: 'string' } },
        free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      },
    },
  },
};

describe('fieldSetOf', () => {
  it('follows list and map semantics from the schema and skips server-owned metadata', () => {
    const set = fieldSetOf(
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'p', namespace: 'ns', uid: 'u', resourceVersion: '3', labels: { app: 'x' }, finalizers: ['f1'] },
        spec: {
          containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80 }], args: ['a', 'b'] }],
          tags: ['t1', 't2'],
          selector: { a: 'b' },
          free: { nested: { deep: 1 }, list: [1, 2] },
        },
      },
      podLike,
    );
    expect(encodeFieldsV1(set)).toEqual({
      'f:metadata': { 'f:finalizers': { 'v:"f1"': {} }, 'f:labels': { 'f:app': {} } },
      'f:spec': {
        'f:containers': {
          'k:{"name":"c"}': {
            '.': {},
            'f:args': {},
            'f:image': {},
            'f:name': {},
            // The defaulted key field (protocol) identifies the item even when omitted.
            'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
          },
        },
        'f:free': { 'f:list': {}, 'f:nested': { '.': {}, 'f:deep': {} } },
        'f:selector': {},
        'f:tags': { 'v:"t1"': {}, 'v:"t2"': {} },
      },
    });
  });

  it('records explicit nulls and empty maps as owned', () => {
    const set = fieldSetOf({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { selector: null, free: {} } }, podLike);
    expect(encodeFieldsV1(set)).toEqual({ 'f:spec': { 'f:free': {}, 'f:selector': {} } });
  });
});
