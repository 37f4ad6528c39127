import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type RunningApiServer } from '../../pkg/apiserver/server.ts';
import { loadCrdManifests } from '../../pkg/crd/index.ts';
import { removeDir } from '../support/apiserver-process.ts';
import { eventually } from '../support/eventually.ts';
import { rawRequest } from '../support/raw-client.ts';

/**
 * Bad input gets the Kubernetes Status a client expects, nothing is partially written, and the
 * server keeps serving.
 */
let server: RunningApiServer;
let dataDir: string;
const json = { 'Content-Type': 'application/json' };
const cms = '/api/v1/namespaces/default/configmaps';
const jobs = '/apis/kuscia.secretflow/v1alpha1/namespaces/default/kusciajobs';
const req = (method: string, path: string, body?: string | Buffer, headers: Record<string, string> = json, opts = {}) =>
  rawRequest(server, method, path, body, headers, opts);

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'kuscia-bad-'));
  server = await startApiServer({ dataDir, storage: 'memory', port: 0, logger: pino({ level: 'warn' }) });
  for (const crd of await loadCrdManifests()) {
    const r = await req('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', JSON.stringify(crd));
    expect(r.status, r.body).toBe(201);
  }
  await eventually(async () => expect((await req('GET', jobs)).status).toBe(200));
});

afterAll(async () => {
  await server?.stop();
  await removeDir(dataDir);
});

async function countConfigMaps(): Promise<number> {
  return (await req('GET', cms)).json<{ items: unknown[] }>().items.length;
}

describe('bad input', () => {
  it('malformed JSON and YAML are 400 BadRequest', async () => {
    const before = await countConfigMaps();
    const r1 = await req('POST', cms, '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"');
    expect(r1.status).toBe(400);
    expect(r1.json()).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'BadRequest', code: 400 });
    const r2 = await req('POST', cms, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [unclosed\n', { 'Content-Type': 'application/yaml' });
    expect(r2.status).toBe(400);
    expect(await countConfigMaps()).toBe(before);
  });

  it('YAML bodies are accepted', async () => {
    const r = await req('POST', cms, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  a: "1"\n', { 'Content-Type': 'application/yaml' });
    expect(r.status, r.body).toBe(201);
  });

  it('a wrong apiVersion or kind for the endpoint is 400', async () => {
    const wrongVersion = await req('POST', cms, JSON.stringify({ apiVersion: 'apps/v1', kind: 'ConfigMap', metadata: { name: 'v' } }));
    expect(wrongVersion.status).toBe(400);
    expect(wrongVersion.json<{ message: string }>().message).toMatch(/does not match the expected API version/);
    const wrongKind = await req('POST', cms, JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'k' } }));
    expect(wrongKind.status).toBe(400);
    expect((await req('GET', `${cms}/v`)).status).toBe(404);
    expect((await req('GET', `${cms}/k`)).status).toBe(404);
  });

  it('a built-in object with wrongly typed values is 400, as Go decoding refuses it', async () => {
    const r = await req('POST', cms, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'typed' }, data: { a: 1 } }));
    expect(r.status).toBe(400);
    expect(r.json<{ message: string }>().message).toBe(
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field ConfigMap.data.a of type string',
    );
    expect((await req('GET', `${cms}/typed`)).status).toBe(404);
  });

  it('an unknown resource is 404 NotFound', async () => {
    const r = await req('GET', '/apis/kuscia.secretflow/v1alpha1/namespaces/default/nothings');
    expect(r.status).toBe(404);
    expect(r.json()).toMatchObject({ kind: 'Status', reason: 'NotFound' });
  });

  it('a 4 MiB body is refused with 413 before it is stored, declared or chunked', async () => {
    const big = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data: { x: 'a'.repeat(4 * 1024 * 1024) } });
    const declared = await req('POST', cms, big);
    expect(declared.status).toBe(413);
    expect(declared.json()).toMatchObject({ reason: 'RequestEntityTooLarge', code: 413 });
    const chunked = await req('POST', cms, big, json, { chunked: true });
    expect(chunked.status).toBe(413);
    expect((await req('GET', `${cms}/big`)).status).toBe(404);
  });

  it('unknown fields: Strict → 400 naming them, Warn → Warning header and the field dropped', async () => {
    const body = (name: string) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: '1' }, bogus: true });
    const strict = await req('POST', `${cms}?fieldValidation=Strict`, body('strict'));
    expect(strict.status).toBe(400);
    expect(strict.json<{ message: string }>().message).toMatch(/strict decoding error: unknown field "bogus"/);
    expect((await req('GET', `${cms}/strict`)).status).toBe(404);
    const warn = await req('POST', `${cms}?fieldValidation=Warn`, body('warn'));
    expect(warn.status).toBe(201);
    expect(String(warn.headers["warning"])).toBe(String.raw`299 - "unknown field \"bogus\""`);
    expect(warn.json()).not.toHaveProperty('bogus');
    const badDirective = await req('POST', `${cms}?fieldValidation=Sometimes`, body('sometimes'));
    expect(badDirective.status).toBe(400);
  });

  it('schema violations are 422 Invalid with field causes, and nothing is stored', async () => {
    const job = { apiVersion: 'kuscia.secretflow/v1alpha1', kind: 'KusciaJob', metadata: { name: 'bad' }, spec: { initiator: 'alice', maxParallelism: 0, tasks: [] } };
    const r = await req('POST', jobs, JSON.stringify(job));
    expect(r.status).toBe(422);
    const status = r.json<{ reason: string; details: { causes: Array<{ field: string }> } }>();
    expect(status.reason).toBe('Invalid');
    expect(status.details.causes.map((c) => c.field).sort()).toEqual(['spec.maxParallelism', 'spec.tasks']);
    expect((await req('GET', `${jobs}/bad`)).status).toBe(404);
  });

  it('a bad label selector or field selector is 400', async () => {
    expect((await req('GET', `${cms}?labelSelector=${encodeURIComponent('a in (b')}`)).status).toBe(400);
    expect((await req('GET', `${cms}?labelSelector=${encodeURIComponent('-bad-=x')}`)).status).toBe(400);
    expect((await req('GET', `${cms}?fieldSelector=${encodeURIComponent('spec.nope=1')}`)).status).toBe(400);
  });

  it('requests without a client certificate are 401 except health and version', async () => {
    const anon = await req('GET', cms, undefined, {}, { clientCert: false });
    expect(anon.status).toBe(401);
    expect(anon.json()).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
    expect((await req('GET', '/readyz', undefined, {}, { clientCert: false })).body).toBe('ok');
    expect((await req('GET', '/version', undefined, {}, { clientCert: false })).status).toBe(200);
  });

  it('a method the resource does not support is 405 MethodNotAllowed', async () => {
    const put = await req('PUT', cms, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }));
    expect(put.status).toBe(405);
    expect(put.json()).toMatchObject({ kind: 'Status', reason: 'MethodNotAllowed', code: 405 });
    expect((await req('POST', `${cms}/x`, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }))).status).toBe(405);
    expect((await req('DELETE', '/api/v1/namespaces')).status).toBe(405);
  });

  it('a continue token from a compacted revision is 410 Expired', async () => {
    for (const name of ['p1', 'p2', 'p3']) await req('POST', cms, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } }));
    const first = (await req('GET', `${cms}?limit=1`)).json<{ metadata: { continue: string } }>();
    await req('POST', cms, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'p4' } }));
    server.compactNow();
    const next = await req('GET', `${cms}?limit=1&continue=${first.metadata.continue}`);
    expect(next.status).toBe(410);
    expect(next.json()).toMatchObject({ kind: 'Status', reason: 'Expired', code: 410 });
  });

  it('keeps serving after all of the above', async () => {
    const r = await req('POST', cms, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'still-fine' } }));
    expect(r.status).toBe(201);
    expect((await req('GET', '/healthz')).body).toBe('ok');
  });
});
