/**
 * The agent's pod workers on the embedded API server, over a fake runtime: a pod bound to the node
 * runs and its status reaches the API (Running → Succeeded/Failed with container states), its
 * inputs are resolved (env with ConfigMap/Secret/field refs, $(VAR) expansion, config templates),
 * a missing ConfigMap shows as CreateContainerConfigError until it appears, a deleted pod is killed
 * with its grace period and removed from the API, and runtime pods the API does not know are killed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compressConfigValue } from '../../../pkg/controllers/kusciatask/configmaps.ts';
import { Annotations } from '../../../pkg/crd/constants.ts';
import { isNotFound } from '../../../pkg/kube/api-errors.ts';
import type { Pod } from '../../../pkg/kube/wire.ts';
import { eventually } from '../../support/eventually.ts';
import { startAgentTestEnv, type AgentTestEnv } from './support/agent-env.ts';
import { fakeRuntime, type FakeRuntime } from './support/fake-runtime.ts';

let env: AgentTestEnv;
let runtime: FakeRuntime;
const NODE = 'alice-pods-node';

beforeAll(async () => {
  env = await startAgentTestEnv(['alice']);
  runtime = fakeRuntime((resolved) => {
    const behaviour = resolved.pod.metadata?.labels?.['behaviour'];
    if (behaviour === 'succeed') return { exitAfterMs: 300, exitCode: 0 };
    if (behaviour === 'fail') return { exitAfterMs: 300, exitCode: 3, message: 'input table missing' };
    return { run: 'forever' };
  });
  await env.startAgent({ nodeName: NODE, runtime });
});

afterAll(async () => {
  await env?.stop();
});

function podSpec(name: string, change: (pod: Pod) => void = () => undefined): Pod {
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'alice', labels: {} },
    spec: { nodeName: NODE, restartPolicy: 'Never', containers: [{ name: 'main', image: 'secretflow/fake-engine:1.0', command: ['fake-engine'] }] },
  };
  change(pod);
  return pod;
}

const getPod = (name: string) => env.clients.pods.get('alice', name);
const createdFor = (uid: string) => runtime.created.find((r) => r.pod.metadata?.uid === uid);

describe('agent pods', () => {
  it('runs a bound pod and reports Running, then Succeeded with the container terminated state', async () => {
    const pod = await env.clients.pods.create(podSpec('ok', (p) => (p.metadata!.labels!['behaviour'] = 'succeed')));
    await eventually(async () => {
      const now = await getPod('ok');
      expect(now.status?.phase).toBe('Running');
      expect(now.status).toMatchObject({ hostIP: '127.0.0.1', podIP: '127.0.0.1', podIPs: [{ ip: '127.0.0.1' }] });
      expect(now.status?.startTime).toBeDefined();
      expect(now.status?.containerStatuses?.[0]?.state?.running).toBeDefined();
    }, 5_000, 20);
    await eventually(async () => {
      const done = await getPod('ok');
      expect(done.status?.phase).toBe('Succeeded');
      expect(done.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    }, 5_000);
    expect(createdFor(pod.metadata!.uid!)?.containers['main']?.env['KUSCIA_DOMAIN_ID']).toBe('alice');
    // The status was written by the agent's field manager.
    const managers = ((await getPod('ok')).metadata?.managedFields ?? []).map((m) => `${m.manager}/${m.subresource ?? ''}`);
    expect(managers).toContain('kuscia-agent/status');
  });

  it('reports a failed container with its exit code and termination message', async () => {
    await env.clients.pods.create(podSpec('bad', (p) => (p.metadata!.labels!['behaviour'] = 'fail')));
    await eventually(async () => {
      const done = await getPod('bad');
      expect(done.status?.phase).toBe('Failed');
      expect(done.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 3, reason: 'Error', message: 'input table missing' });
    }, 5_000);
  });

  it('resolves env: envFrom, ConfigMap and Secret keys, field refs and $(VAR) expansion', async () => {
    await env.clients.configMaps.create({ metadata: { name: 'settings', namespace: 'alice' }, data: { MODE: 'fast', LEVEL: '3' } });
    await env.clients.api.request('POST', '/api/v1/namespaces/alice/secrets', {
      body: { metadata: { name: 'creds', namespace: 'alice' }, data: { password: Buffer.from('s3cret').toString('base64') } },
    });
    const pod = await env.clients.pods.create(
      podSpec('env', (p) => {
        p.metadata!.labels!['app'] = 'psi';
        p.spec!.containers[0]!.envFrom = [{ configMapRef: { name: 'settings' }, prefix: 'CFG_' }];
        p.spec!.containers[0]!.env = [
          { name: 'LEVEL', valueFrom: { configMapKeyRef: { name: 'settings', key: 'LEVEL' } } },
          { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'creds', key: 'password' } } },
          { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
          { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
          { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
          { name: 'SUMMARY', value: '$(CFG_MODE)-$(LEVEL)-$(KUSCIA_DOMAIN_ID)-$(UNDEFINED)-$$(LEVEL)' },
          { name: 'OPTIONAL', valueFrom: { configMapKeyRef: { name: 'absent', key: 'x', optional: true } } },
        ];
      }),
    );
    await eventually(() => expect(createdFor(pod.metadata!.uid!)).toBeDefined(), 5_000);
    const envOf = createdFor(pod.metadata!.uid!)!.containers['main']!.env;
    expect(envOf).toMatchObject({
      KUSCIA_DOMAIN_ID: 'alice',
      CFG_MODE: 'fast',
      CFG_LEVEL: '3',
      LEVEL: '3',
      PASSWORD: 's3cret',
      POD: 'env',
      NODE: NODE,
      IP: '127.0.0.1',
      APP: 'psi',
      SUMMARY: 'fast-3-alice-$(UNDEFINED)-$(LEVEL)',
    });
    expect(envOf).not.toHaveProperty('OPTIONAL');
  });

  it('shows CreateContainerConfigError while a ConfigMap is missing, then runs once it appears', async () => {
    const pod = await env.clients.pods.create(
      podSpec('late', (p) => {
        p.spec!.containers[0]!.env = [{ name: 'PARAM', valueFrom: { configMapKeyRef: { name: 'late-config', key: 'param' } } }];
      }),
    );
    await eventually(async () => {
      const waiting = await getPod('late');
      expect(waiting.status?.phase).toBe('Pending');
      expect(waiting.status?.containerStatuses?.[0]?.state?.waiting).toEqual({ reason: 'CreateContainerConfigError', message: 'configmap "late-config" not found' });
    }, 5_000);
    expect(createdFor(pod.metadata!.uid!)).toBeUndefined();
    await env.clients.configMaps.create({ metadata: { name: 'late-config', namespace: 'alice' }, data: { param: '42' } });
    await eventually(async () => expect((await getPod('late')).status?.phase).toBe('Running'), 15_000);
    expect(createdFor(pod.metadata!.uid!)!.containers['main']!.env['PARAM']).toBe('42');
  });

  it('renders config templates from the domain KV configs, the generated values (compressed fields included) and the container env', async () => {
    await env.clients.configMaps.create({
      metadata: { name: 'task-x-configtemplate', namespace: 'alice' },
      data: { 'task-config.conf': 'domain={{.KUSCIA_DOMAIN_ID}} task={{ .TASK_ID }} input={{.TASK_INPUT_CONFIG}} party={{{.TASK_CLUSTER_DEFINE.parties[0].name}}} mode={{.MODE}} root={{.DATA_ROOT}}' },
    });
    // The domain's KV configs (ConfManager's domain-config): the task's own values override them.
    await env.clients.configMaps.create({ metadata: { name: 'domain-config', namespace: 'alice' }, data: { DATA_ROOT: '/var/data', TASK_ID: 'from-domain-config' } });
    await env.clients.configMaps.create({
      metadata: { name: 'task-x-kuscia-gen-conf', namespace: 'alice', annotations: { [Annotations.ConfigValueCompressFieldsName]: 'TASK_INPUT_CONFIG' } },
      data: { KUSCIA_DOMAIN_ID: 'alice', TASK_ID: 'task-x', TASK_CLUSTER_DEFINE: JSON.stringify({ parties: [{ name: 'alice', role: 'host' }] }) },
      binaryData: { TASK_INPUT_CONFIG: compressConfigValue('{"sleep":1}') },
    });
    const pod = await env.clients.pods.create(
      podSpec('render', (p) => {
        p.metadata!.annotations = { [Annotations.ConfigTemplateVolumes]: 'config-template', [Annotations.ConfigTemplateValueConfigMapName]: 'task-x-kuscia-gen-conf' };
        p.spec!.volumes = [{ name: 'config-template', configMap: { name: 'task-x-configtemplate' } }];
        p.spec!.containers[0]!.env = [{ name: 'MODE', value: 'strict' }];
        p.spec!.containers[0]!.volumeMounts = [{ name: 'config-template', mountPath: './kuscia/task-config.conf', subPath: 'task-config.conf' }];
      }),
    );
    await eventually(() => expect(createdFor(pod.metadata!.uid!)).toBeDefined(), 5_000);
    expect(createdFor(pod.metadata!.uid!)!.containers['main']!.mounts).toEqual([
      {
        mountPath: './kuscia/task-config.conf',
        readOnly: false,
        files: [{ path: '', content: 'domain=alice task=task-x input={"sleep":1} party=alice mode=strict root=/var/data', mode: 0o644 }],
      },
    ]);
  });

  it('kills a deleted pod with its grace period, then removes it from the API and the runtime', async () => {
    const pod = await env.clients.pods.create(podSpec('doomed'));
    const uid = pod.metadata!.uid!;
    await eventually(async () => expect((await getPod('doomed')).status?.phase).toBe('Running'), 5_000);
    await env.clients.pods.delete('alice', 'doomed', { gracePeriodSeconds: 7 });
    await eventually(async () => expect(await getPod('doomed').catch((e: unknown) => (isNotFound(e) ? 'gone' : e))).toBe('gone'), 5_000);
    expect(runtime.kills).toContainEqual({ uid, gracePeriodSeconds: 7 });
    expect(runtime.removed).toContain(uid);
  });

  it('kills and removes a runtime pod the API server does not have', async () => {
    runtime.preload({ uid: 'orphan-uid', namespace: 'alice', name: 'orphan' });
    await eventually(() => expect(runtime.removed).toContain('orphan-uid'), 5_000);
    expect(runtime.kills).toContainEqual({ uid: 'orphan-uid', gracePeriodSeconds: 0 });
  });
});
