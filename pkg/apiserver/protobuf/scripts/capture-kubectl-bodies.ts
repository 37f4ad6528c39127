/**
 * Records the protobuf request bodies the real kubectl sends, as test fixtures under testdata/:
 * `<case>.pb` is the POST body of the typed command, `<case>.json` is what the same command prints
 * with `--dry-run=client -o json` (the object kubectl would have sent as JSON). Run it again when
 * upgrading kubectl:
 *
 *   node pkg/apiserver/protobuf/scripts/capture-kubectl-bodies.ts [kubectl]
 *
 * The server is a stub that only answers what kubectl needs: version, legacy discovery, and the POST
 * (echoing the decoded object so kubectl prints its usual "... created").
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ensurePki, writeKubeconfig } from '../../certs/index.ts';
import { startHttpsServer } from '../../certs/test-support.ts';
import { decodeKubernetesProtobuf, PROTOBUF_CONTENT_TYPE } from '../index.ts';

const run = promisify(execFile);

interface CaptureCase {
  name: string;
  args: string[];
  /** Commands without client-side dry-run support (create token) get no .json companion. */
  dryRun: boolean;
}

const CASES: CaptureCase[] = [
  { name: 'namespace', args: ['create', 'namespace', 'demo'], dryRun: true },
  { name: 'configmap', args: ['create', 'configmap', 'c', '--from-literal=a=b', '-n', 'default'], dryRun: true },
  { name: 'secret', args: ['create', 'secret', 'generic', 's', '--from-literal=password=hunter2', '-n', 'default'], dryRun: true },
  { name: 'service', args: ['create', 'service', 'clusterip', 'web', '--tcp=80:8080', '-n', 'default'], dryRun: true },
  { name: 'deployment', args: ['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=0', '-n', 'default'], dryRun: true },
  {
    name: 'pod',
    args: ['run', 'p', '--image=busybox:1.36', '--env=A=1', '--port=8080', '--labels=app=p', '-n', 'default', '--', 'sleep', '3600'],
    dryRun: true,
  },
  { name: 'serviceaccount', args: ['create', 'serviceaccount', 'sa', '-n', 'default'], dryRun: true },
  { name: 'role', args: ['create', 'role', 'r', '--verb=get,list', '--resource=pods', '-n', 'default'], dryRun: true },
  { name: 'rolebinding', args: ['create', 'rolebinding', 'rb', '--clusterrole=view', '--serviceaccount=default:sa', '-n', 'default'], dryRun: true },
  { name: 'quota', args: ['create', 'quota', 'q', '--hard=cpu=1,memory=1Gi,pods=2', '-n', 'default'], dryRun: true },
  { name: 'token', args: ['create', 'token', 'sa', '--duration=1h', '-n', 'default'], dryRun: false },
];

const resource = (name: string, kind: string, namespaced: boolean, verbs = ['create', 'get', 'list']) => ({ name, singularName: '', namespaced, kind, verbs });

const DISCOVERY: Record<string, unknown> = {
  '/version': { major: '1', minor: '33', gitVersion: 'v1.33.5' },
  '/api': { kind: 'APIVersions', versions: ['v1'] },
  '/apis': {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [
      { name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }], preferredVersion: { groupVersion: 'apps/v1', version: 'v1' } },
      {
        name: 'rbac.authorization.k8s.io',
        versions: [{ groupVersion: 'rbac.authorization.k8s.io/v1', version: 'v1' }],
        preferredVersion: { groupVersion: 'rbac.authorization.k8s.io/v1', version: 'v1' },
      },
    ],
  },
  '/api/v1': {
    kind: 'APIResourceList',
    groupVersion: 'v1',
    resources: [
      resource('namespaces', 'Namespace', false),
      resource('configmaps', 'ConfigMap', true),
      resource('secrets', 'Secret', true),
      resource('services', 'Service', true),
      resource('pods', 'Pod', true),
      resource('serviceaccounts', 'ServiceAccount', true),
      { ...resource('serviceaccounts/token', 'TokenRequest', true, ['create']), group: 'authentication.k8s.io', version: 'v1' },
      resource('resourcequotas', 'ResourceQuota', true),
    ],
  },
  '/apis/apps/v1': { kind: 'APIResourceList', groupVersion: 'apps/v1', resources: [resource('deployments', 'Deployment', true)] },
  '/apis/rbac.authorization.k8s.io/v1': {
    kind: 'APIResourceList',
    groupVersion: 'rbac.authorization.k8s.io/v1',
    resources: [
      resource('roles', 'Role', true),
      resource('rolebindings', 'RoleBinding', true),
      resource('clusterroles', 'ClusterRole', false),
      resource('clusterrolebindings', 'ClusterRoleBinding', false),
    ],
  },
};

function sendJson(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function main(): Promise<void> {
  const kubectl = process.argv[2] ?? 'kubectl';
  const outDir = join(import.meta.dirname, '..', 'testdata');
  const work = await mkdtemp(join(tmpdir(), 'kubectl-capture-'));
  const posted: { contentType: string; body: Buffer }[] = [];
  const pki = await ensurePki(join(work, 'pki'), { bindAddress: '127.0.0.1' });
  const server = await startHttpsServer(pki, (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method === 'GET' && path in DISCOVERY) return sendJson(res, 200, DISCOVERY[path]);
      if (req.method === 'POST') {
        const body = Buffer.concat(chunks);
        const contentType = req.headers['content-type'] ?? '';
        posted.push({ contentType, body });
        const object = contentType === PROTOBUF_CONTENT_TYPE ? decodeKubernetesProtobuf(body) : JSON.parse(body.toString('utf8'));
        if (object.kind === 'TokenRequest') {
          object.status = { token: 'captured', expirationTimestamp: '2030-01-01T00:00:00Z' };
        }
        return sendJson(res, 201, object);
      }
      sendJson(res, 404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: 'not found' });
    });
  });
  const kubeconfig = join(work, 'kubeconfig');
  await writeKubeconfig(kubeconfig, {
    server: `https://127.0.0.1:${server.port}`,
    caPem: pki.ca.certPem,
    clientCertPem: pki.admin.certPem,
    clientKeyPem: pki.admin.keyPem,
  });
  try {
    const { stdout: version } = await run(kubectl, ['--kubeconfig', kubeconfig, 'version', '-o', 'json']);
    process.stdout.write(`client: ${JSON.parse(version).clientVersion.gitVersion}\n`);
    for (const c of CASES) {
      posted.length = 0;
      await run(kubectl, ['--kubeconfig', kubeconfig, ...c.args]);
      if (posted.length !== 1) throw new Error(`${c.name}: expected one POST, saw ${posted.length}`);
      if (posted[0].contentType !== PROTOBUF_CONTENT_TYPE) {
        // e.g. `kubectl run` builds an unstructured object and posts JSON: nothing to capture.
        process.stdout.write(`skipped ${c.name}: kubectl sent ${posted[0].contentType}\n`);
        continue;
      }
      await writeFile(join(outDir, `${c.name}.pb`), posted[0].body);
      if (c.dryRun) {
        const { stdout } = await run(kubectl, ['--kubeconfig', kubeconfig, ...c.args, '--dry-run=client', '-o', 'json']);
        await writeFile(join(outDir, `${c.name}.json`), stdout);
      }
      process.stdout.write(`captured ${c.name}\n`);
    }
  } finally {
    await server.close();
    await rm(work, { recursive: true, force: true });
  }
}

await main();
