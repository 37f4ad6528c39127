import { describe, expect, it } from 'vitest';
import { Annotations, Labels, type AppImage, type KusciaJob } from '../../crd/index.ts';
import { DeployTemplateNotFoundError } from '../common/deploy-template.ts';
import { buildKusciaTask, partyTemplateFor } from './task-builder.ts';

const appImage: AppImage = {
  metadata: { name: 'img' },
  spec: {
    image: { name: 'app', tag: '1' },
    deployTemplates: [
      { name: 'guest', role: 'guest,client', replicas: 2, spec: { containers: [{ name: 'a', env: [{ name: 'X', value: '1' }] }, { name: 'b' }] } },
      { name: 'any', spec: { containers: [{ name: 'only' }] } },
    ],
  },
};

function job(annotations: Record<string, string> = {}, labels: Record<string, string> = {}): KusciaJob {
  return {
    metadata: { name: 'job-1', namespace: 'cross-domain', uid: 'uid-1', annotations, labels },
    spec: {
      initiator: 'alice',
      tasks: [
        {
          alias: 'train',
          taskID: 'job-1-abc',
          appImage: 'img',
          taskInputConfig: '{}',
          scheduleConfig: { lifecycleSeconds: 60 },
          parties: [{ domainID: 'alice', role: 'guest', bandwidthLimits: [{ destinationID: 'bob', limitKBps: 100 }] }, { domainID: 'bob' }],
        },
      ],
    },
  };
}

describe('partyTemplateFor', () => {
  it('splits the party total over containers × replicas of the template chosen by role', () => {
    const template = partyTemplateFor({ domainID: 'alice', role: 'client', resources: { requests: { cpu: '2', memory: '1Gi' }, limits: { cpu: '4' } } }, appImage);
    expect(template).toEqual({
      spec: {
        containers: [
          { name: 'a', resources: { limits: { cpu: '1' }, requests: { cpu: '500m', memory: '256Mi' } } },
          { name: 'b', resources: { limits: { cpu: '1' }, requests: { cpu: '500m', memory: '256Mi' } } },
        ],
      },
    });
  });

  it('falls back to the template without role, and gives nothing when the party asks for nothing', () => {
    expect(partyTemplateFor({ domainID: 'bob', role: 'server', resources: { limits: { memory: '3Gi' } } }, appImage)).toEqual({
      spec: { containers: [{ name: 'only', resources: { limits: { memory: '3Gi' } } }] },
    });
    expect(partyTemplateFor({ domainID: 'bob', role: 'server' }, appImage)).toBeUndefined();
  });

  it('throws when no template serves the role', () => {
    const strict: AppImage = { ...appImage, spec: { ...appImage.spec, deployTemplates: [appImage.spec.deployTemplates[0]!] } };
    expect(() => partyTemplateFor({ domainID: 'bob', role: 'server', resources: { limits: { cpu: '1' } } }, strict)).toThrow(DeployTemplateNotFoundError);
  });
});

describe('buildKusciaTask', () => {
  it('names the task by taskID in cross-domain, owned by the job, with Kuscia labels and annotations', () => {
    const j = job();
    const task = buildKusciaTask({ job: j, template: j.spec.tasks[0]!, selfClusterAsParticipant: true, partyTemplates: [{ replicas: 1 }, undefined] });
    expect(task.metadata).toEqual({
      name: 'job-1-abc',
      namespace: 'cross-domain',
      labels: { [Labels.Controller]: 'kuscia-job', [Labels.JobUID]: 'uid-1' },
      annotations: {
        [Annotations.JobID]: 'job-1',
        [Annotations.TaskAlias]: 'train',
        [Annotations.SelfClusterAsParticipant]: 'true',
        [Annotations.Initiator]: 'alice',
      },
      ownerReferences: [{ apiVersion: 'kuscia.secretflow/v1alpha1', kind: 'KusciaJob', name: 'job-1', uid: 'uid-1', controller: true, blockOwnerDeletion: true }],
    });
    expect(task.spec).toEqual({
      initiator: 'alice',
      taskInputConfig: '{}',
      scheduleConfig: { lifecycleSeconds: 60 },
      parties: [
        { domainID: 'alice', appImageRef: 'img', role: 'guest', bandwidthLimits: [{ destinationID: 'bob', limitKBps: 100 }], template: { replicas: 1 } },
        { domainID: 'bob', appImageRef: 'img' },
      ],
    });
  });

  it('carries the interconnection annotations and marks BFIA tasks unschedulable', () => {
    const j = job(
      { [Annotations.InterConnBFIAParties]: 'bob', [Annotations.InterConnSelfParties]: 'alice', [Annotations.SelfClusterAsInitiator]: 'true' },
      { [Labels.InterConnProtocolType]: 'bfia' },
    );
    const task = buildKusciaTask({ job: j, template: j.spec.tasks[0]!, selfClusterAsParticipant: false, partyTemplates: [] });
    expect(task.metadata.annotations).toMatchObject({
      [Annotations.InterConnBFIAParties]: 'bob',
      [Annotations.InterConnSelfParties]: 'alice',
      [Annotations.SelfClusterAsInitiator]: 'true',
      [Annotations.SelfClusterAsParticipant]: 'false',
    });
    expect(task.metadata.annotations).not.toHaveProperty(Annotations.InterConnKusciaParties);
    expect(task.metadata.labels).toMatchObject({ [Labels.InterConnProtocolType]: 'bfia', [Labels.TaskUnschedulable]: 'true' });
  });

  it('leaves interconnection metadata off jobs without partners', () => {
    const j = job({ [Annotations.InterConnSelfParties]: 'alice_bob' });
    const task = buildKusciaTask({ job: j, template: j.spec.tasks[0]!, selfClusterAsParticipant: true, partyTemplates: [] });
    expect(task.metadata.annotations).not.toHaveProperty(Annotations.InterConnSelfParties);
    expect(task.metadata.labels).not.toHaveProperty(Labels.TaskUnschedulable);
  });
});
