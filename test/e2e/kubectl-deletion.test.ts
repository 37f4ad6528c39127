import { KubeConfig, CoreV1Api, Watch, type V1Pod } from '@kubernetes/client-node';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, startApiServerProcess, type ApiServerProcess } from '../support/apiserver-process.ts';
import { eventually } from '../support/eventually.ts';
import { kubectl as runKubectl, type KubectlResult } from '../support/kubectl.ts';

/**
 * The deletion acceptance walk-through with the real kubectl against `kuscia apiserver`:
 * `--cascade=background|foreground|orphan`, `kubectl delete ns`, and a pod on a node that waits
 * for its node agent (played here by a client that watches the pod and confirms with grace 0).
 */
let server: ApiServerProcess;
let cache: string;
const k = (args: string[], stdin?: string): Promise<KubectlResult> => runKubectl(server.kubeconfig, cache, args, stdin);
async function ok(args: string[], stdin?: string): Promise<string> {
  const r = await k(args, stdin);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}):\n${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

const ns = 'cascade';

/** Objects as YAML-free JSON manifests kubectl applies from stdin. */
function manifest(items: object[]): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
}

function configMap(name: string, extra: Record<string, unknown> = {}, labels: Record<string, string> = {}) {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns, labels, ...extra }, data: { k: 'v' } };
}

function widget(name: string, extra: Record<string, unknown> = {}, labels: Record<string, string> = {}) {
  return { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name, namespace: ns, labels, ...extra }, spec: { size: 1 } };
}

async function uidOf(kind: string, name: string, namespace = ns): Promise<string> {
  return ok(['get', kind, name, '-n', namespace, '-o', 'jsonpath={.metadata.uid}']);
}

async function names(kind: string, selector: string, namespace = ns): Promise<string[]> {
  return (await ok(['get', kind, '-n', namespace, '-l', selector, '-o', 'name'])).split('\n').filter(Boolean).sort();
}

beforeAll(async () => {
  server = await startApiServerProcess();
  cache = await mkdtemp(join(tmpdir(), 'kubectl-cache-'));
  const schema = { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } };
  await ok(
    ['apply', '-f', '-'],
    JSON.stringify({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: { group: 'example.com', scope: 'Namespaced', names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' }, versions: [{ name: 'v1', served: true, storage: true, schema }] },
    }),
  );
  await ok(['wait', '--for', 'condition=established', '--timeout=30s', 'crd/widgets.example.com']);
  await ok(['create', 'namespace', ns]);
});

afterAll(async () => {
  await server?.stop();
  if (server) await removeDir(server.dataDir);
  if (cache) await removeDir(cache);
});

describe('kubectl delete and the garbage collector', () => {
  it('--cascade=background deletes the owner, then its dependents', async () => {
    await ok(['create', 'configmap', 'bg-owner', '-n', ns]);
    const owner = { apiVersion: 'v1', kind: 'ConfigMap', name: 'bg-owner', uid: await uidOf('configmap', 'bg-owner'), controller: true, blockOwnerDeletion: true };
    await ok(['apply', '-f', '-'], manifest([configMap('bg-a', { ownerReferences: [owner] }, { set: 'bg' }), configMap('bg-b', { ownerReferences: [owner] }, { set: 'bg' }), widget('bg-w', { ownerReferences: [owner] }, { set: 'bg' })]));
    expect(await ok(['delete', 'configmap', 'bg-owner', '-n', ns, '--cascade=background'])).toMatch(/configmap "bg-owner" deleted/);
    await eventually(async () => {
      expect(await names('configmaps', 'set=bg')).toEqual([]);
      expect(await names('widgets', 'set=bg')).toEqual([]);
    });
  });

  it('--cascade=foreground keeps the owner, being deleted, until its blocking dependents are gone', async () => {
    await ok(['create', 'deployment', 'fg-owner', '-n', ns, '--image=busybox']);
    const owner = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'fg-owner', uid: await uidOf('deployment', 'fg-owner'), blockOwnerDeletion: true };
    await ok(
      ['apply', '-f', '-'],
      manifest([
        configMap('fg-held', { ownerReferences: [owner], finalizers: ['example.com/hold'] }, { set: 'fg' }),
        configMap('fg-plain', { ownerReferences: [owner] }, { set: 'fg' }),
        widget('fg-w', { ownerReferences: [{ ...owner, blockOwnerDeletion: false }] }, { set: 'fg' }),
      ]),
    );
    expect(await ok(['delete', 'deployment', 'fg-owner', '-n', ns, '--cascade=foreground', '--wait=false'])).toMatch(/deployment.apps "fg-owner" deleted/);
    await eventually(async () => {
      expect(await names('configmaps', 'set=fg')).toEqual(['configmap/fg-held']);
      expect(await names('widgets', 'set=fg')).toEqual([]);
    });
    expect(await ok(['get', 'configmap', 'fg-held', '-n', ns, '-o', 'jsonpath={.metadata.deletionTimestamp}'])).not.toBe('');
    // The owner is still there, marked, held by foregroundDeletion for as long as fg-held exists.
    await new Promise((r) => setTimeout(r, 300));
    expect(await ok(['get', 'deployment', 'fg-owner', '-n', ns, '-o', 'jsonpath={.metadata.finalizers[*]} {.metadata.deletionTimestamp}'])).toMatch(/^foregroundDeletion \d{4}-\d\d-\d\dT/);
    await ok(['patch', 'configmap', 'fg-held', '-n', ns, '--type=json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]']);
    await ok(['wait', '--for=delete', 'deployment/fg-owner', '-n', ns, '--timeout=20s']);
    expect(await names('configmaps', 'set=fg')).toEqual([]);
  });

  it('--cascade=orphan leaves the dependents, without the reference to the deleted owner', async () => {
    await ok(['create', 'configmap', 'orphan-owner', '-n', ns]);
    const owner = { apiVersion: 'v1', kind: 'ConfigMap', name: 'orphan-owner', uid: await uidOf('configmap', 'orphan-owner'), blockOwnerDeletion: true };
    await ok(['apply', '-f', '-'], manifest([configMap('orphan-a', { ownerReferences: [owner] }, { set: 'orphan' }), widget('orphan-w', { ownerReferences: [owner] }, { set: 'orphan' })]));
    // kubectl waits until the owner is gone, which happens once the dependents are orphaned.
    expect(await ok(['delete', 'configmap', 'orphan-owner', '-n', ns, '--cascade=orphan'])).toMatch(/configmap "orphan-owner" deleted/);
    expect(await names('configmaps', 'set=orphan')).toEqual(['configmap/orphan-a']);
    expect(await ok(['get', 'configmap', 'orphan-a', '-n', ns, '-o', 'jsonpath={.metadata.ownerReferences}'])).toBe('');
    expect(await ok(['get', 'widget', 'orphan-w', '-n', ns, '-o', 'jsonpath={.metadata.ownerReferences}'])).toBe('');
  });
});

describe('kubectl delete namespace', () => {
  it('refuses to delete default', async () => {
    const r = await k(['delete', 'namespace', 'default']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/Error from server \(Forbidden\): namespaces "default" is forbidden: this namespace may not be deleted/);
  });

  it('empties the namespace (custom resources too), refuses new content meanwhile, then removes it', async () => {
    await ok(['create', 'namespace', 'doomed']);
    await ok(
      ['apply', '-f', '-'],
      manifest([
        { ...configMap('a'), metadata: { name: 'a', namespace: 'doomed' } },
        { ...widget('w'), metadata: { name: 'w', namespace: 'doomed' } },
        { ...configMap('held'), metadata: { name: 'held', namespace: 'doomed', finalizers: ['example.com/hold'] } },
      ]),
    );
    expect(await ok(['delete', 'namespace', 'doomed', '--wait=false'])).toMatch(/namespace "doomed" deleted/);
    expect(await ok(['get', 'namespace', 'doomed', '-o', 'jsonpath={.status.phase}'])).toBe('Terminating');
    const late = await k(['create', 'configmap', 'late', '-n', 'doomed']);
    expect(late.code).not.toBe(0);
    // (kubectl's typed `create` words the 403 as "error: failed to create configmap: <message>".)
    expect(late.stderr).toMatch(/configmaps "late" is forbidden: unable to create new content in namespace doomed because it is being terminated/);
    await eventually(async () => {
      expect(await ok(['get', 'configmaps,widgets', '-n', 'doomed', '-o', 'name'])).toBe('configmap/held\n');
      expect(await ok(['get', 'namespace', 'doomed', '-o', 'jsonpath={.status.conditions[?(@.type=="NamespaceFinalizersRemaining")].message}'])).toBe(
        'Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances',
      );
    });
    await ok(['patch', 'configmap', 'held', '-n', 'doomed', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
    await ok(['wait', '--for=delete', 'namespace/doomed', '--timeout=20s']);

    // The plain `kubectl delete ns` waits until the namespace is gone.
    await ok(['create', 'namespace', 'quick']);
    await ok(['create', 'configmap', 'c', '-n', 'quick']);
    expect(await ok(['delete', 'namespace', 'quick'])).toMatch(/namespace "quick" deleted/);
    expect((await k(['get', 'namespace', 'quick'])).stderr).toMatch(/NotFound/);
  });
});

describe('pods on a node', () => {
  function clientFor(kubeconfig: string): { kc: KubeConfig; core: CoreV1Api } {
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
    return { kc, core: kc.makeApiClient(CoreV1Api) };
  }

  const podOnNode = (name: string) =>
    JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns }, spec: { nodeName: 'node-a', terminationGracePeriodSeconds: 20, containers: [{ name: 'main', image: 'busybox' }] } });

  it('kubectl delete waits for the node agent; --force --grace-period=0 does not', async () => {
    const { kc, core } = clientFor(server.kubeconfig);
    // The node agent: sees its pod marked for deletion, stops it, confirms with grace 0 and a uid precondition.
    const seen: Array<{ name: string; grace?: number }> = [];
    const agent = await new Watch(kc).watch(
      `/api/v1/namespaces/${ns}/pods`,
      { fieldSelector: 'spec.nodeName=node-a' },
      (type: string, pod: V1Pod) => {
        if (type !== 'MODIFIED' || !pod.metadata?.deletionTimestamp || pod.metadata.name !== 'agent-managed') return;
        // Its own confirmation shows up as one more MODIFIED (grace 0) before DELETED.
        if (seen.length > 0) return;
        seen.push({ name: pod.metadata.name, grace: pod.metadata.deletionGracePeriodSeconds });
        void core.deleteNamespacedPod({ name: pod.metadata.name, namespace: ns, body: { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } } }).catch(() => undefined);
      },
      () => undefined,
    );
    try {
      await ok(['apply', '-f', '-'], podOnNode('agent-managed'));
      const started = Date.now();
      expect(await ok(['delete', 'pod', 'agent-managed', '-n', ns, '--timeout=15s'])).toMatch(/pod "agent-managed" deleted/);
      expect(seen).toEqual([{ name: 'agent-managed', grace: 20 }]);
      expect(Date.now() - started).toBeLessThan(15_000);
    } finally {
      agent.abort();
    }

    // Without an agent the pod only shows as Terminating ...
    await ok(['apply', '-f', '-'], podOnNode('stuck'));
    await ok(['delete', 'pod', 'stuck', '-n', ns, '--wait=false']);
    await new Promise((r) => setTimeout(r, 300));
    expect(await ok(['get', 'pod', 'stuck', '-n', ns, '--no-headers'])).toMatch(/\bTerminating\b/);
    // ... until a force deletion removes it at once.
    const forced = await k(['delete', 'pod', 'stuck', '-n', ns, '--force', '--grace-period=0']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stderr).toMatch(/Immediate deletion does not wait for confirmation/);
    expect((await k(['get', 'pod', 'stuck', '-n', ns])).stderr).toMatch(/NotFound/);
  });
});
