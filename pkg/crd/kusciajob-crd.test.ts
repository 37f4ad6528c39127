import { beforeAll, describe, expect, it } from 'vitest';
import type { Schema } from '../apiserver/schema/types.ts';
import { loadCrdManifests } from './manifests.ts';
import { validate } from './testing/schema-checks.ts';

let root: Schema;
let spec: Schema;
let task: Schema;

beforeAll(async () => {
  const crd = (await loadCrdManifests()).find((c) => c.spec.names.kind === 'KusciaJob');
  root = crd!.spec.versions[0].schema!.openAPIV3Schema;
  spec = root.properties!.spec;
  task = spec.properties!.tasks.items!;
});

/** A minimal valid job; tests override one field at a time. */
function job(overrides: Record<string, unknown> = {}, taskOverrides: Record<string, unknown> = {}) {
  return {
    apiVersion: 'kuscia.secretflow/v1alpha1',
    kind: 'KusciaJob',
    metadata: { name: 'job-1', namespace: 'cross-domain' },
    spec: {
      initiator: 'alice',
      tasks: [{ alias: 'psi', appImage: 'secretflow-image', taskInputConfig: '{}', parties: [{ domainID: 'alice' }], ...taskOverrides }],
      ...overrides,
    },
  };
}

describe('KusciaJob schema', () => {
  it('defaults scheduleMode to Strict and restricts it to Strict|BestEffort', () => {
    expect(spec.properties!.scheduleMode).toMatchObject({ type: 'string', default: 'Strict', enum: ['Strict', 'BestEffort'] });
    expect(validate(root, job({ scheduleMode: 'BestEffort' }))).toEqual([]);
    expect(validate(root, job({ scheduleMode: 'Lazy' }))).toEqual([
      '.spec.scheduleMode: "Lazy" not in enum ["Strict","BestEffort"]',
    ]);
  });

  it('defaults maxParallelism to 1 and bounds it to 1..128', () => {
    expect(spec.properties!.maxParallelism).toMatchObject({ type: 'integer', default: 1, minimum: 1, maximum: 128 });
    expect(validate(root, job({ maxParallelism: 128 }))).toEqual([]);
    expect(validate(root, job({ maxParallelism: 0 }))).toEqual(['.spec.maxParallelism: below minimum 1']);
    expect(validate(root, job({ maxParallelism: 129 }))).toEqual(['.spec.maxParallelism: above maximum 128']);
  });

  it('requires initiator and 1..128 tasks', () => {
    expect(spec.required).toEqual(expect.arrayContaining(['initiator', 'tasks']));
    expect(spec.properties!.tasks).toMatchObject({ type: 'array', minItems: 1, maxItems: 128 });
    expect(validate(root, job({ tasks: [] }))).toEqual(['.spec.tasks: fewer than 1 items']);
    const { initiator: _dropped, ...noInitiator } = job().spec;
    expect(validate(root, { ...job(), spec: noInitiator })).toEqual(['.spec.initiator: Required value']);
  });

  it('requires each task alias (and the other fields the original requires)', () => {
    expect(task.required).toEqual(expect.arrayContaining(['alias', 'appImage', 'parties', 'taskInputConfig']));
    expect(task.required).not.toContain('taskID');
    const { alias: _dropped, ...noAlias } = job().spec.tasks[0];
    expect(validate(root, job({ tasks: [noAlias] }))).toEqual(['.spec.tasks[0].alias: Required value']);
  });

  it("checks taskID against the original's DNS-label pattern", () => {
    // The original pattern is unanchored: `[a-z0-9]([-a-z0-9]*[a-z0-9])?`.
    expect(task.properties!.taskID).toMatchObject({ type: 'string', pattern: '[a-z0-9]([-a-z0-9]*[a-z0-9])?' });
    expect(validate(root, job({}, { taskID: 'job-psi-1' }))).toEqual([]);
    expect(validate(root, job({}, { taskID: 'PSI_TASK' }))).toHaveLength(1);
  });

  it('types dependencies, tolerable, priority and scheduleConfig like the original', () => {
    expect(task.properties!.dependencies).toMatchObject({ type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 128 });
    expect(task.properties!.tolerable).toMatchObject({ type: 'boolean', default: false });
    expect(task.properties!.priority).toMatchObject({ type: 'integer' });
    expect(task.properties!.scheduleConfig.properties!.minReservedMembers).toMatchObject({ type: 'integer', minimum: 1 });
    expect(Object.keys(task.properties!.scheduleConfig.properties!).sort()).toEqual([
      'lifecycleSeconds',
      'minReservedMembers',
      'resourceReservedSeconds',
      'retryIntervalSeconds',
    ]);
    expect(validate(root, job({}, { scheduleConfig: { minReservedMembers: 0 } }))).toEqual([
      '.spec.tasks[0].scheduleConfig.minReservedMembers: below minimum 1',
    ]);
  });

  it('types parties with domainID (required), role, resources and bandwidthLimits', () => {
    const party = task.properties!.parties.items!;
    expect(party.required).toEqual(['domainID']);
    expect(Object.keys(party.properties!).sort()).toEqual(['bandwidthLimits', 'domainID', 'resources', 'role']);
    expect(party.properties!.bandwidthLimits.items!.properties).toMatchObject({
      destinationID: { type: 'string' },
      limitKBps: { type: 'integer' },
    });
    const parties = [
      {
        domainID: 'alice',
        role: 'host',
        resources: { limits: { cpu: 2, memory: '2Gi' }, requests: { cpu: '500m' } },
        bandwidthLimits: [{ destinationID: 'bob', limitKBps: 1024 }],
      },
    ];
    expect(validate(root, job({}, { parties }))).toEqual([]);
    expect(validate(root, job({}, { parties: [{ domainID: 'alice', resources: { limits: { cpu: true } } }] }))).toEqual([
      '.spec.tasks[0].parties[0].resources.limits.cpu: must be integer or string',
    ]);
  });

  it('keeps the status fields controllers write', () => {
    expect(Object.keys(root.properties!.status.properties!).sort()).toEqual([
      'approveStatus',
      'completionTime',
      'conditions',
      'lastReconcileTime',
      'message',
      'partyTaskCreateStatus',
      'phase',
      'reason',
      'stageStatus',
      'startTime',
      'taskStatus',
    ]);
  });
});
