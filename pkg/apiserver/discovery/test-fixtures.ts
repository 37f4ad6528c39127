import type { ResourceType } from '../api/resource-type.ts';
import type { Schema } from '../schema/types.ts';

/** Minimal ResourceTypes shaped like kube-apiserver's pods/deployments and a Kuscia CRD, for tests. */
function resourceType(fields: Partial<ResourceType> & Pick<ResourceType, 'group' | 'version' | 'resource' | 'kind'>): ResourceType {
  return {
    singular: fields.kind.toLowerCase(),
    listKind: `${fields.kind}List`,
    namespaced: true,
    shortNames: [],
    categories: [],
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: [],
    schema: { type: 'object' },
    prunesUnknownFields: false,
    strategicMergePatch: true,
    strategy: {},
    table: { columns: [], cells: () => [] },
    fieldSelectors: {},
    ...fields,
  };
}

export const podType = resourceType({
  group: '',
  version: 'v1',
  resource: 'pods',
  kind: 'Pod',
  shortNames: ['po'],
  categories: ['all'],
  subresources: ['status', 'binding', 'log'],
});

export const namespaceType = resourceType({
  group: '',
  version: 'v1',
  resource: 'namespaces',
  kind: 'Namespace',
  namespaced: false,
  shortNames: ['ns'],
  subresources: ['status', 'finalize'],
});

export const deploymentType = resourceType({
  group: 'apps',
  version: 'v1',
  resource: 'deployments',
  kind: 'Deployment',
  shortNames: ['deploy'],
  categories: ['all'],
  subresources: ['status', 'scale'],
});

export const kusciaJobSchema: Schema = {
  type: 'object',
  description: 'KusciaJob is the Schema for the kuscia job API.',
  required: ['spec'],
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object' },
    spec: {
      type: 'object',
      description: 'KusciaJobSpec defines the information of kuscia job spec.',
      required: ['tasks'],
      properties: {
        initiator: { type: 'string', description: 'Initiator who schedule this KusciaJob.' },
        maxParallelism: { type: 'integer', default: 1, minimum: 1, maximum: 128 },
        scheduleMode: { type: 'string', enum: ['Strict', 'BestEffort'] },
        tasks: {
          type: 'array',
          description: 'Tasks are the tasks of the KusciaJob.',
          items: {
            type: 'object',
            required: ['taskID', 'appImage'],
            properties: {
              taskID: { type: 'string', description: 'TaskID must be unique within the job.' },
              alias: { type: 'string' },
              appImage: { type: 'string', description: 'AppImage the task runs.' },
              dependencies: { type: 'array', items: { type: 'string' } },
            },
          },
        },
      },
    },
    status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
  },
};

export const kusciaJobType = resourceType({
  group: 'kuscia.secretflow',
  version: 'v1alpha1',
  resource: 'kusciajobs',
  kind: 'KusciaJob',
  namespaced: true,
  shortNames: ['kj'],
  categories: ['kuscia'],
  subresources: ['status'],
  schema: kusciaJobSchema,
  prunesUnknownFields: true,
  strategicMergePatch: false,
});

export const domainType = resourceType({
  group: 'kuscia.secretflow',
  version: 'v1alpha1',
  resource: 'domains',
  kind: 'Domain',
  namespaced: false,
  subresources: ['status'],
  prunesUnknownFields: true,
  strategicMergePatch: false,
});

export const allTestTypes = [kusciaJobType, deploymentType, podType, namespaceType, domainType];
