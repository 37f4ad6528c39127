/**
 * A two-party task over an AppImage with two deploy templates (roles "client" and "server"), shared
 * by this folder's unit tests and the controller's integration test.
 */
import { Annotations, Labels, type AppImage, type KusciaTask } from '../../../crd/index.ts';

export function appImageFixture(name = 'secretflow-image'): AppImage {
  return {
    apiVersion: 'kuscia.secretflow/v1alpha1',
    kind: 'AppImage',
    metadata: { name },
    spec: {
      image: { name: 'secretflow/secretflow-lite-anolis8', tag: '1.11.0b1', id: 'sha256:abc' },
      configTemplates: { 'task-config.conf': '{"task_id": "{{.TASK_ID}}"}' },
      deployTemplates: [
        {
          name: 'client-template',
          role: 'client',
          replicas: 1,
          spec: {
            containers: [
              {
                name: 'secretflow',
                command: ['sh'],
                args: ['-c', 'python -m secretflow.kuscia.entry ./kuscia/task-config.conf'],
                configVolumeMounts: [{ mountPath: '/root/kuscia/task-config.conf', subPath: 'task-config.conf' }],
                ports: [
                  { name: 'spu', protocol: 'GRPC', scope: 'Cluster' },
                  { name: 'fed', protocol: 'GRPC', scope: 'Cluster' },
                  { name: 'global', protocol: 'GRPC', scope: 'Domain' },
                  { name: 'node-manager', protocol: 'GRPC', scope: 'Local' },
                ],
                resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '1Gi' } },
                env: [{ name: 'APP_MODE', value: 'client' }],
              },
            ],
          },
        },
        {
          name: 'server-template',
          role: 'server',
          replicas: 1,
          spec: {
            restartPolicy: 'Never',
            containers: [
              {
                name: 'server',
                command: ['serve'],
                ports: [{ name: 'api', protocol: 'HTTP', scope: 'Cluster' }],
                resources: { requests: { cpu: '200m', memory: '256Mi' } },
              },
            ],
          },
        },
      ],
    },
  };
}

export function taskFixture(name = 'task-psi', uid = 'task-uid-1'): KusciaTask {
  return {
    apiVersion: 'kuscia.secretflow/v1alpha1',
    kind: 'KusciaTask',
    metadata: {
      name,
      namespace: 'cross-domain',
      uid,
      labels: { [Labels.JobUID]: 'job-uid-1' },
      annotations: { [Annotations.JobID]: 'job-1', [Annotations.TaskAlias]: 'psi', [Annotations.Initiator]: 'alice' },
    },
    spec: {
      initiator: 'alice',
      taskInputConfig: '{"sf_datasource_config": {"alice": {"id": "default-data-source"}}}',
      parties: [
        { domainID: 'alice', appImageRef: 'secretflow-image', role: 'client' },
        { domainID: 'bob', appImageRef: 'secretflow-image', role: 'server' },
      ],
    },
  };
}
