import { describe, expect, it } from 'vitest';
import { configTemplateConfigMap, decompressConfigValue, generatedConfigMap, usesConfigTemplates } from './configmaps.ts';
import { buildPartyKit } from './party-kit.ts';
import { appImageFixture, taskFixture } from './testing/fixtures.ts';

const task = taskFixture();
const [client, server] = task.spec.parties.map((p) => buildPartyKit(task, p, appImageFixture(), false));

describe('party ConfigMaps', () => {
  it('copies the AppImage templates into <task>-configtemplate', () => {
    const cm = configTemplateConfigMap(task, client!)!;
    expect(cm.metadata).toEqual({
      name: 'task-psi-configtemplate',
      namespace: 'alice',
      labels: { 'kuscia.secretflow/controller': 'kusciatask', 'kuscia.secretflow/task-uid': 'task-uid-1' },
      annotations: { 'kuscia.secretflow/initiator': 'alice', 'kuscia.secretflow/task-id': 'task-psi' },
    });
    expect(cm.data).toEqual({ 'task-config.conf': '{"task_id": "{{.TASK_ID}}"}' });
  });

  it('needs the generated values only where a container mounts the templates', () => {
    expect(usesConfigTemplates(client!)).toBe(true);
    expect(usesConfigTemplates(server!)).toBe(false);
  });

  it('stores TASK_INPUT_CONFIG zlib-compressed and names the compressed key', () => {
    const cm = generatedConfigMap(task, client!, { clusterDefine: '{"parties":[]}', allocatedPorts: '{"ports":[]}' });
    expect(cm.metadata!.name).toBe('task-psi-kuscia-gen-conf');
    expect(cm.metadata!.annotations!['kuscia.secretflow/config-value-compress-fields-name']).toBe('TASK_INPUT_CONFIG');
    expect(cm.data).toEqual({
      KUSCIA_DOMAIN_ID: 'alice',
      TASK_ID: 'task-psi',
      TASK_CLUSTER_DEFINE: '{"parties":[]}',
      ALLOCATED_PORTS: '{"ports":[]}',
    });
    const compressed = cm.binaryData!['TASK_INPUT_CONFIG']!;
    // zlib stream header (RFC 1950), what Go's compress/zlib reader expects.
    expect(Buffer.from(compressed, 'base64')[0]).toBe(0x78);
    expect(decompressConfigValue(compressed)).toBe(task.spec.taskInputConfig);
  });
});
