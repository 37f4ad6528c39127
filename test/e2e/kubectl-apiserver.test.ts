import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, repoRoot, startApiServerProcess, type ApiServerProcess } from '../support/apiserver-process.ts';
import { kubectl as runKubectl, kubectlStream, type KubectlResult } from '../support/kubectl.ts';

/**
 * The issue-2 acceptance walk-through: a person with the real kubectl against `kuscia apiserver`.
 * Every step asserts what kubectl prints or how it exits.
 */
let server: ApiServerProcess;
let cache: string;
const k = (args: string[], stdin?: string): Promise<KubectlResult> => runKubectl(server.kubeconfig, cache, args, stdin);
async function ok(args: string[], stdin?: string): Promise<string> {
  const r = await k(args, stdin);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}):\n${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

function job(name: string, spec: Record<string, unknown> = {}, labels: Record<string, string> = {}): string {
  return JSON.stringify({
    apiVersion: 'kuscia.secretflow/v1alpha1',
    kind: 'KusciaJob',
    metadata: { name, namespace: 'cross-domain', labels },
    spec: {
      initiator: 'alice',
      tasks: [{ alias: 'a', taskID: `${name}-a`, appImage: 'secretflow-image', taskInputConfig: '{}', parties: [{ domainID: 'alice' }, { domainID: 'bob' }] }],
      ...spec,
    },
  });
}

beforeAll(async () => {
  server = await startApiServerProcess();
  cache = await mkdtemp(join(tmpdir(), 'kubectl-cache-'));
  await ok(['apply', '-f', join(repoRoot, 'crds/v1alpha1/')]);
  await ok(['wait', '--for', 'condition=established', '--timeout=30s', 'crd', '--all']);
  await ok(['create', 'namespace', 'cross-domain']);
});

afterAll(async () => {
  await server?.stop();
  if (server) await removeDir(server.dataDir);
  if (cache) await removeDir(cache);
});

describe('kubectl against kuscia apiserver', () => {
  it('reports a current Kubernetes version and lists the Kuscia resources', async () => {
    expect(await ok(['version', '-o', 'json'])).toMatch(/"minor": "33"/);
    const resources = await ok(['api-resources']);
    expect(resources).toMatch(/^kusciajobs\s+kj\s+kuscia\.secretflow\/v1alpha1\s+true\s+KusciaJob\s*$/m);
    expect(resources).toMatch(/^pods\s+po\s+v1\s+true\s+Pod\s*$/m);
    expect(resources).toMatch(/^taskresourcegroups\s+trg\s+kuscia\.secretflow\/v1alpha1\s+false\s+TaskResourceGroup\s*$/m);
  });

  it('defaults scheduleMode and maxParallelism from the CRD schema', async () => {
    await ok(['apply', '-f', '-'], job('defaults'));
    const out = await ok(['get', 'kj', 'defaults', '-n', 'cross-domain', '-o', 'jsonpath={.spec.scheduleMode}/{.spec.maxParallelism}']);
    expect(out).toBe('Strict/1');
  });

  it('rejects invalid KusciaJobs naming the field, and stores nothing', async () => {
    const cases: Array<[string, Record<string, unknown>, RegExp]> = [
      ['bad-enum', { scheduleMode: 'Sometimes' }, /spec\.scheduleMode: Unsupported value: "Sometimes"/],
      ['bad-parallelism', { maxParallelism: 129 }, /spec\.maxParallelism: Invalid value: 129: spec\.maxParallelism in body should be less than or equal to 128/],
      [
        'bad-taskid',
        { tasks: [{ alias: 'a', taskID: 'BAD_ID', taskInputConfig: '{}', parties: [{ domainID: 'alice' }] }] },
        /spec\.tasks\[0\]\.taskID: Invalid value: "BAD_ID"/,
      ],
      [
        'too-many-tasks',
        { tasks: Array.from({ length: 129 }, (_, i) => ({ alias: `t${i}`, taskID: `t${i}`, taskInputConfig: '{}', parties: [{ domainID: 'alice' }] })) },
        /spec\.tasks: Too many: 129: must have at most 128 items/,
      ],
    ];
    for (const [name, spec, message] of cases) {
      const r = await k(['apply', '-f', '-'], job(name, spec));
      expect(r.code, name).not.toBe(0);
      expect(r.stderr, name).toMatch(/is invalid/);
      expect(r.stderr, name).toMatch(message);
      const get = await k(['get', 'kj', name, '-n', 'cross-domain']);
      expect(get.code, name).not.toBe(0);
      expect(get.stderr, name).toMatch(/NotFound|not found/);
    }
  });

  it('prints Kuscia printer columns', async () => {
    const out = await ok(['get', 'kj', '-n', 'cross-domain']);
    expect(out.split('\n')[0]).toMatch(/^NAME\s+STARTTIME\s+COMPLETIONTIME\s+LASTRECONCILETIME\s+PHASE\s*$/);
    expect(out).toMatch(/^defaults\s/m);
  });

  it('supports -o yaml, jsonpath, label and field selectors', async () => {
    await ok(['apply', '-f', '-'], job('sel-a', {}, { team: 'red', tier: 'gold' }));
    await ok(['apply', '-f', '-'], job('sel-b', {}, { team: 'blue' }));
    expect(await ok(['get', 'kj', 'sel-a', '-n', 'cross-domain', '-o', 'yaml'])).toMatch(/^kind: KusciaJob$/m);
    const names = async (args: string[]) =>
      (await ok(['get', 'kj', '-n', 'cross-domain', '-o', 'jsonpath={.items[*].metadata.name}', ...args])).split(' ').filter(Boolean).sort();
    expect(await names(['-l', 'team=red'])).toEqual(['sel-a']);
    expect(await names(['-l', 'team in (red,blue),tier!=gold'])).toEqual(['sel-b']);
    expect(await names(['-l', '!tier,team'])).toEqual(['sel-b']);
    expect(await names(['--field-selector', 'metadata.name=sel-b'])).toEqual(['sel-b']);
    const bad = await k(['get', 'kj', '-n', 'cross-domain', '-l', 'team in (red']);
    expect(bad.code).not.toBe(0);
  });

  it('labels, annotates and patches (merge, json, strategic)', async () => {
    await ok(['label', 'kj', 'sel-a', '-n', 'cross-domain', 'stage=one']);
    await ok(['annotate', 'kj', 'sel-a', '-n', 'cross-domain', 'note=hello']);
    await ok(['patch', 'kj', 'sel-a', '-n', 'cross-domain', '--type', 'merge', '-p', '{"spec":{"maxParallelism":3}}']);
    await ok(['patch', 'kj', 'sel-a', '-n', 'cross-domain', '--type', 'json', '-p', '[{"op":"replace","path":"/spec/scheduleMode","value":"BestEffort"}]']);
    const out = await ok(['get', 'kj', 'sel-a', '-n', 'cross-domain', '-o', 'jsonpath={.metadata.labels.stage} {.metadata.annotations.note} {.spec.maxParallelism} {.spec.scheduleMode} {.metadata.generation}']);
    expect(out).toBe('one hello 3 BestEffort 3');
    // Strategic merge patch is for built-in kinds: containers are merged by name.
    await ok(['create', 'configmap', 'cm1', '-n', 'cross-domain', '--from-literal=a=1']);
    await ok(['patch', 'configmap', 'cm1', '-n', 'cross-domain', '--type', 'strategic', '-p', '{"data":{"b":"2"}}']);
    expect(await ok(['get', 'cm', 'cm1', '-n', 'cross-domain', '-o', 'jsonpath={.data.a}{.data.b}'])).toBe('12');
    const crStrategic = await k(['patch', 'kj', 'sel-a', '-n', 'cross-domain', '--type', 'strategic', '-p', '{"spec":{"maxParallelism":4}}']);
    expect(crStrategic.code).not.toBe(0);
    expect(crStrategic.stderr).toMatch(/UnsupportedMediaType|unknown format|not supported/i);
  });

  it('apply is idempotent, then configures changes; server-side apply works', async () => {
    // Fully specified (nothing left for the server to default), so kubectl's three-way merge finds
    // nothing to send the second time, exactly as against a real cluster.
    const full = { scheduleMode: 'Strict', maxParallelism: 1 };
    const fullJob = (name: string, spec: Record<string, unknown> = {}) => {
      const obj = JSON.parse(job(name, { ...full, ...spec })) as { spec: { tasks: Array<Record<string, unknown>> } };
      for (const t of obj.spec.tasks) t['tolerable'] = false;
      return JSON.stringify(obj);
    };
    const first = await ok(['apply', '-f', '-'], fullJob('applied'));
    expect(first).toMatch(/kusciajob.kuscia.secretflow\/applied created/);
    const rv1 = await ok(['get', 'kj', 'applied', '-n', 'cross-domain', '-o', 'jsonpath={.metadata.resourceVersion}']);
    expect(await ok(['apply', '-f', '-'], fullJob('applied'))).toMatch(/applied unchanged/);
    const rv2 = await ok(['get', 'kj', 'applied', '-n', 'cross-domain', '-o', 'jsonpath={.metadata.resourceVersion}']);
    expect(rv2).toBe(rv1);
    expect(await ok(['apply', '-f', '-'], fullJob('applied', { maxParallelism: 5 }))).toMatch(/applied configured/);
    // A defaulted list makes kubectl send the list again; the server sees no change and keeps the revision.
    await ok(['apply', '-f', '-'], job('defaulted'));
    const before = await ok(['get', 'kj', 'defaulted', '-n', 'cross-domain', '-o', 'jsonpath={.metadata.resourceVersion}']);
    await ok(['apply', '-f', '-'], job('defaulted'));
    expect(await ok(['get', 'kj', 'defaulted', '-n', 'cross-domain', '-o', 'jsonpath={.metadata.resourceVersion}'])).toBe(before);
    expect(await ok(['apply', '--server-side', '-f', '-'], job('ssa', { maxParallelism: 7 }))).toMatch(/ssa serverside-applied/);
    const managers = await ok(['get', 'kj', 'ssa', '-n', 'cross-domain', '-o', 'jsonpath={.metadata.managedFields[*].manager}']);
    expect(managers).toContain('kubectl');
    expect(await ok(['get', 'kj', 'ssa', '-n', 'cross-domain', '-o', 'jsonpath={.spec.maxParallelism}'])).toBe('7');
  });

  it('get -w sees a later change', async () => {
    const watch = kubectlStream(server.kubeconfig, cache, ['get', 'kj', '-n', 'cross-domain', '-w', '-o', 'custom-columns=NAME:.metadata.name,MP:.spec.maxParallelism']);
    try {
      await watch.waitFor(/^applied\s+5\s*$/m);
      await ok(['patch', 'kj', 'applied', '-n', 'cross-domain', '--type', 'merge', '-p', '{"spec":{"maxParallelism":6}}']);
      await watch.waitFor(/^applied\s+6\s*$/m);
    } finally {
      watch.stop();
    }
  });

  it('waits for a jsonpath condition and deletes with --wait', async () => {
    const waiter = k(['wait', 'kj/applied', '-n', 'cross-domain', '--for=jsonpath={.spec.maxParallelism}=9', '--timeout=20s']);
    await new Promise((r) => setTimeout(r, 500));
    await ok(['patch', 'kj', 'applied', '-n', 'cross-domain', '--type', 'merge', '-p', '{"spec":{"maxParallelism":9}}']);
    const w = await waiter;
    expect(w.code, w.stderr).toBe(0);
    expect(w.stdout).toMatch(/condition met/);
    expect(await ok(['delete', 'kj', 'applied', '-n', 'cross-domain', '--wait=true'])).toMatch(/deleted/);
    const gone = await k(['get', 'kj', 'applied', '-n', 'cross-domain']);
    expect(gone.stderr).toMatch(/not found/);
  });

  it('explains KusciaJob fields and describes objects', async () => {
    const explain = await ok(['explain', 'kusciajob.spec.tasks']);
    expect(explain).toMatch(/KIND:\s+KusciaJob/);
    expect(explain).toMatch(/FIELD:\s+tasks/);
    expect(explain).toMatch(/taskID/);
    const describe = await ok(['describe', 'kj', 'sel-a', '-n', 'cross-domain']);
    expect(describe).toMatch(/^Name:\s+sel-a$/m);
    expect(describe).toMatch(/^Kind:\s+KusciaJob$/m);
  });

  it('scales a deployment through its scale subresource', async () => {
    await ok(['create', 'deployment', 'scaled', '-n', 'cross-domain', '--image', 'nginx:1.27', '--replicas', '1']);
    expect(await ok(['scale', 'deployment', 'scaled', '-n', 'cross-domain', '--replicas', '3'])).toMatch(/deployment.apps\/scaled scaled/);
    expect(await ok(['get', 'deploy', 'scaled', '-n', 'cross-domain', '-o', 'jsonpath={.spec.replicas} {.metadata.generation}'])).toBe('3 2');
    const scale = JSON.parse(await ok(['get', '--raw', '/apis/apps/v1/namespaces/cross-domain/deployments/scaled/scale'])) as { kind: string; status: { selector: string } };
    expect(scale).toMatchObject({ kind: 'Scale', status: { selector: 'app=scaled' } });
  });

  it('get all lists pods and services', async () => {
    await ok(['run', 'web', '-n', 'cross-domain', '--image', 'nginx:1.27', '--restart=Never']);
    await ok(['create', 'service', 'clusterip', 'web', '-n', 'cross-domain', '--tcp=80:8080']);
    const all = await ok(['get', 'all', '-n', 'cross-domain']);
    expect(all).toMatch(/^pod\/web\s+0\/1\s+Pending\s+0\s+\S+$/m);
    expect(all).toMatch(/^service\/web\s+ClusterIP\s+\S+\s+<none>\s+80\/TCP\s+\S+$/m);
  });
});
