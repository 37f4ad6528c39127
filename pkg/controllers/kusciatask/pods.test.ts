import { describe, expect, it } from 'vitest';
import { AgentTaint, Annotations, Labels } from '../../crd/index.ts';
import { allocatedPortsConfig, toProtoJson } from './cluster-define.ts';
import { buildPartyKit } from './party-kit.ts';
import type { ResolvedPort } from './port-assignment.ts';
import { buildPod } from './pods.ts';
import { appImageFixture, taskFixture } from './testing/fixtures.ts';

const ports: ResolvedPort[] = [
  { name: 'spu', port: 20001, scope: 'Cluster', protocol: 'GRPC' },
  { name: 'fed', port: 20002, scope: 'Cluster', protocol: 'GRPC' },
  { name: 'global', port: 20003, scope: 'Domain', protocol: 'GRPC' },
  { name: 'node-manager', port: 20004, scope: 'Local', protocol: 'GRPC' },
];

function clientPod(configTemplates = true) {
  const task = taskFixture();
  task.metadata.labels![Labels.InterConnProtocolType] = 'kuscia';
  const kit = buildPartyKit(task, task.spec.parties[0]!, appImageFixture(), false);
  return buildPod({
    task,
    kit,
    pod: kit.pods[0]!,
    ports,
    schedulerName: 'kuscia-scheduler',
    clusterDefine: '{"parties":[]}',
    allocatedPorts: toProtoJson(allocatedPortsConfig(ports)),
    configTemplates,
  });
}

describe('buildPod', () => {
  it('carries every label and annotation of the contract', () => {
    const pod = clientPod();
    expect(pod.metadata).toMatchObject({ name: 'task-psi-client-0', namespace: 'alice' });
    expect(pod.metadata!.labels).toEqual({
      [Labels.Controller]: 'kusciatask',
      [Labels.TaskUID]: 'task-uid-1',
      [Labels.InterConnProtocolType]: 'kuscia',
      [Labels.CommunicationRoleServer]: 'true',
      [Labels.CommunicationRoleClient]: 'true',
      [Labels.PodIdentity]: 'task-uid-1-client-0',
      [Labels.TaskResourceUID]: '',
      [Labels.PodRole]: 'client',
    });
    expect(pod.metadata!.annotations).toEqual({
      [Annotations.Initiator]: 'alice',
      [Annotations.TaskID]: 'task-psi',
      [Annotations.TaskResourceGroup]: 'task-psi',
      [Annotations.TaskResource]: '',
      [Annotations.ImageID]: 'sha256:abc',
      [Annotations.ConfigTemplateValueConfigMapName]: 'task-psi-kuscia-gen-conf',
      [Annotations.ConfigTemplateVolumes]: 'config-template',
    });
  });

  it('is scheduled by kuscia-scheduler onto the domain nodes only', () => {
    const { spec } = clientPod();
    expect(spec).toMatchObject({
      restartPolicy: 'Never',
      schedulerName: 'kuscia-scheduler',
      automountServiceAccountToken: false,
      nodeSelector: { 'kuscia.secretflow/namespace': 'alice' },
      tolerations: [{ key: AgentTaint.key, operator: 'Exists', effect: 'NoSchedule' }],
      volumes: [{ name: 'config-template', configMap: { name: 'task-psi-configtemplate' } }],
    });
  });

  it('gives the container its allocated ports and the env contract', () => {
    const [container] = clientPod().spec!.containers;
    expect(container).toMatchObject({
      name: 'secretflow',
      image: 'secretflow/secretflow-lite-anolis8:1.11.0b1',
      imagePullPolicy: 'IfNotPresent',
      terminationMessagePolicy: 'FallbackToLogsOnError',
      command: ['sh'],
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '1Gi' } },
      volumeMounts: [{ name: 'config-template', mountPath: '/root/kuscia/task-config.conf', subPath: 'task-config.conf' }],
    });
    expect(container!.ports).toEqual([
      { name: 'spu', containerPort: 20001, protocol: 'TCP' },
      { name: 'fed', containerPort: 20002, protocol: 'TCP' },
      { name: 'global', containerPort: 20003, protocol: 'TCP' },
      { name: 'node-manager', containerPort: 20004, protocol: 'TCP' },
    ]);
    const env = Object.fromEntries(container!.env!.map((e) => [e.name, e.value]));
    expect(env).toEqual({
      APP_MODE: 'client',
      KUSCIA_DOMAIN_ID: 'alice',
      TASK_ID: 'task-psi',
      TASK_CLUSTER_DEFINE: '{"parties":[]}',
      ALLOCATED_PORTS: toProtoJson(allocatedPortsConfig(ports)),
      TASK_INPUT_CONFIG: '{"sf_datasource_config": {"alice": {"id": "default-data-source"}}}',
      KUSCIA_PORT_SPU_NUMBER: '20001',
      KUSCIA_PORT_FED_NUMBER: '20002',
      KUSCIA_PORT_GLOBAL_NUMBER: '20003',
      KUSCIA_PORT_NODE_MANAGER_NUMBER: '20004',
    });
  });

  it('mounts no templates when the party has none', () => {
    const pod = clientPod(false);
    expect(pod.spec!.volumes).toBeUndefined();
    expect(pod.spec!.containers[0]!.volumeMounts).toBeUndefined();
    expect(pod.metadata!.annotations![Annotations.ConfigTemplateVolumes]).toBeUndefined();
  });
});
