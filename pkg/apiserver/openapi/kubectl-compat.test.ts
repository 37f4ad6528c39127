import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildApiGroup, buildApiResourceList } from '../discovery/legacy-documents.ts';
import { discoveryRootResponse } from '../discovery/respond.ts';
import { allTestTypes } from '../discovery/test-fixtures.ts';
import { buildOpenApiV3Documents, openApiV3Response } from './openapi-v3.ts';
import { openApiV2Response } from './openapi-v2.ts';

/**
 * The real kubectl against a throw-away server that answers only with this package's and the
 * discovery package's documents (plus a stub create endpoint): proves that the wire format is what
 * kubectl 1.32 expects, not just what we believe it expects.
 */
const KUBECTL = '/usr/bin/kubectl';
const run = promisify(execFile);

describe.skipIf(!existsSync(KUBECTL))('kubectl against the discovery and OpenAPI documents', () => {
  let server: Server;
  let dir: string;
  let base: string;
  const requests: string[] = [];
  const docs = buildOpenApiV3Documents({ types: allTestTypes, serverVersion: 'v1.32.4' });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kubectl-compat-'));
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      requests.push(`${req.method} ${url.pathname}${url.search}`);
      const parts = url.pathname.split('/').filter(Boolean);
      const send = (status: number, headers: Record<string, string>, body: string | Uint8Array) => {
        res.writeHead(status, headers);
        res.end(body);
      };
      const json = (doc: unknown) => (doc ? send(200, { 'Content-Type': 'application/json' }, JSON.stringify(doc)) : send(404, {}, ''));
      if (url.pathname === '/version') return json({ major: '1', minor: '32', gitVersion: 'v1.32.4' });
      if (url.pathname === '/api' || url.pathname === '/apis') {
        const r = discoveryRootResponse(allTestTypes, parts[0] as 'api' | 'apis', { accept: req.headers.accept, ifNoneMatch: req.headers['if-none-match'] }, '127.0.0.1');
        return send(r.status, r.headers, r.body);
      }
      if (parts[0] === 'api' && parts.length === 2) return json(buildApiResourceList(allTestTypes, '', parts[1]));
      if (parts[0] === 'apis' && parts.length === 2) return json(buildApiGroup(allTestTypes, parts[1]));
      if (parts[0] === 'apis' && parts.length === 3) return json(buildApiResourceList(allTestTypes, parts[1], parts[2]));
      if (url.pathname === '/openapi/v2') {
        const r = openApiV2Response('v1.32.4');
        return send(r.status, r.headers, r.body);
      }
      if (parts[0] === 'openapi' && parts[1] === 'v3') {
        const r = openApiV3Response(docs, { path: parts.slice(2).join('/'), hash: url.searchParams.get('hash') ?? undefined, accept: req.headers.accept });
        return send(r.status, r.headers, r.body);
      }
      // Stub of the resource endpoints kubectl apply touches: not found, then create.
      if (req.method === 'GET') {
        return send(404, { 'Content-Type': 'application/json' }, JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'NotFound', code: 404, message: 'not found', details: { name: parts.at(-1), kind: 'kusciajobs' } }));
      }
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => send(201, { 'Content-Type': 'application/json' }, body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  const kubectl = async (...args: string[]) => {
    const { stdout } = await run(KUBECTL, ['--server', base, ...args], {
      env: { PATH: process.env.PATH, HOME: dir, KUBECONFIG: join(dir, 'none'), KUBECACHEDIR: join(dir, 'cache', String(Math.random())) },
    });
    return stdout;
  };

  it('lists resources from aggregated discovery', async () => {
    requests.length = 0;
    const out = await kubectl('api-resources', '--no-headers');
    const line = out.split('\n').find((l) => l.startsWith('kusciajobs '))!;
    expect(line.split(/\s+/)).toEqual(['kusciajobs', 'kj', 'kuscia.secretflow/v1alpha1', 'true', 'KusciaJob']);
    expect(out).toMatch(/^pods\s+po\s+v1\s+true\s+Pod/m);
    expect(out).toMatch(/^domains\s+kuscia\.secretflow\/v1alpha1\s+false\s+Domain/m);
    // Aggregated discovery answered everything: no per-group-version round trips.
    expect(requests.some((r) => r.startsWith('GET /apis/kuscia.secretflow/v1alpha1'))).toBe(false);
  }, 30_000);

  it('explains a CRD field through /openapi/v3', async () => {
    const out = await kubectl('explain', 'kusciajob.spec.tasks');
    expect(out).toMatch(/GROUP:\s+kuscia\.secretflow/);
    expect(out).toMatch(/KIND:\s+KusciaJob/);
    expect(out).toMatch(/FIELD: tasks <\[\]Object>/);
    expect(out).toContain('Tasks are the tasks of the KusciaJob.');
    expect(out).toMatch(/taskID\s+<string> -required-/);
    expect(requests.some((r) => r.startsWith('GET /openapi/v3/apis/kuscia.secretflow/v1alpha1?hash='))).toBe(true);
  }, 30_000);

  it('explains metadata through the ObjectMeta reference', async () => {
    const out = await kubectl('explain', 'kj.metadata');
    expect(out).toMatch(/FIELD: metadata <ObjectMeta>/);
    expect(out).toMatch(/ownerReferences\s+<\[\]OwnerReference>/);
  }, 30_000);

  it('applies a custom resource with server-side field validation', async () => {
    requests.length = 0;
    const file = join(dir, 'job.yaml');
    await writeFile(file, 'apiVersion: kuscia.secretflow/v1alpha1\nkind: KusciaJob\nmetadata:\n  name: job-1\n  namespace: cross-domain\nspec:\n  tasks: []\n');
    const out = await kubectl('apply', '-f', file);
    expect(out).toContain('kusciajob.kuscia.secretflow/job-1 created');
    const post = requests.find((r) => r.startsWith('POST /apis/kuscia.secretflow/v1alpha1/namespaces/cross-domain/kusciajobs'));
    expect(post).toContain('fieldValidation=Strict');
  }, 30_000);
});
