/** A KusciaJob-like CRD schema used by the schema tests (mirrors the real CRD's constraints). */
import type { Schema } from './types.ts';

export function kusciaJobSchema(): Schema {
  return {
    type: 'object',
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      spec: {
        type: 'object',
        required: ['initiator', 'tasks'],
        properties: {
          initiator: { type: 'string' },
          scheduleMode: { type: 'string', enum: ['Strict', 'BestEffort'], default: 'Strict' },
          maxParallelism: { type: 'integer', minimum: 1, maximum: 128, default: 1 },
          tasks: {
            type: 'array',
            minItems: 1,
            maxItems: 128,
            items: {
              type: 'object',
              required: ['alias'],
              properties: {
                alias: { type: 'string' },
                taskID: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' },
                priority: { type: 'integer', default: 100 },
                tolerable: { type: 'boolean', default: false },
                dependencies: { type: 'array', items: { type: 'string' } },
                parties: {
                  type: 'array',
                  items: { type: 'object', properties: { domainID: { type: 'string' }, role: { type: 'string', default: '' } } },
                },
              },
            },
          },
        },
      },
      status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    },
  };
}

export function validJob(): Record<string, unknown> {
  return {
    apiVersion: 'kuscia.secretflow/v1alpha1',
    kind: 'KusciaJob',
    metadata: { name: 'job-1', namespace: 'cross-domain' },
    spec: { initiator: 'alice', tasks: [{ alias: 'a', taskID: 'task-a' }] },
  };
}
