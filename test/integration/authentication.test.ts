import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importPKCS8, SignJWT } from 'jose';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCertificateAuthority, issueClientCertificate } from '../../pkg/apiserver/certs/index.ts';
import { startApiServer, type RunningApiServer } from '../../pkg/apiserver/server.ts';
import { removeDir } from '../support/apiserver-process.ts';
import { requestAs, type Credentials } from '../support/credential-client.ts';
import { eventually } from '../support/eventually.ts';
import { rawRequest } from '../support/raw-client.ts';

/**
 * Who a request is: client certificates of our CA, service-account tokens from TokenRequest, a
 * static token file; everything else is a Kubernetes 401, except the public health and version paths.
 */
let server: RunningApiServer;
let dataDir: string;
const silent = pino({ level: 'silent' });
const admin = (method: string, path: string, body?: unknown) => rawRequest(server, method, path, body === undefined ? undefined : JSON.stringify(body), { 'Content-Type': 'application/json' });
const as = (creds: Credentials, method: string, path: string, body?: unknown) => requestAs(server.url, server.pki.ca.certPem, creds, method, path, body);
const unauthorized = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 };

async function createToken(ns: string, name: string, spec: Record<string, unknown> = {}) {
  return admin('POST', `/api/v1/namespaces/${ns}/serviceaccounts/${name}/token`, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec });
}

async function tokenFor(ns: string, name: string): Promise<string> {
  const r = await createToken(ns, name);
  expect(r.status, r.body).toBe(201);
  return r.json<{ status: { token: string } }>().status.token;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'kuscia-authn-'));
  server = await startApiServer({ dataDir, storage: 'memory', port: 0, logger: silent });
  expect((await admin('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'alice' } })).status).toBe(201);
  expect((await admin('POST', '/api/v1/namespaces/alice/serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'bot' } })).status).toBe(201);
});

afterAll(async () => {
  await server?.stop();
  await removeDir(dataDir);
});

describe('anonymous requests', () => {
  it('get a Kubernetes 401 Status, except on /healthz, /livez, /readyz and /version', async () => {
    const r = await as({}, 'GET', '/api/v1/namespaces');
    expect(r.status).toBe(401);
    expect(r.json()).toEqual(unauthorized);
    expect((await as({}, 'GET', '/apis')).status).toBe(401);
    for (const path of ['/healthz', '/livez', '/readyz', '/version', '/readyz/ping']) expect((await as({}, 'GET', path)).status, path).toBe(200);
    // A bad credential does not close the public paths either.
    expect((await as({ token: 'nonsense' }, 'GET', '/healthz')).status).toBe(200);
  });
});

describe('client certificates', () => {
  it('of our CA authenticate as CN with O groups; of another CA they do not', async () => {
    const ours = await issueClientCertificate(server.pki.authority, { commonName: 'carol', organizations: ['devs'] });
    const r = await as({ cert: ours.certPem, key: ours.keyPem }, 'POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' });
    expect(r.status, r.body).toBe(201);
    expect(r.json<{ status: unknown }>().status).toEqual({ userInfo: { username: 'carol', groups: ['devs', 'system:authenticated'] } });
    const foreign = await issueClientCertificate(await createCertificateAuthority(), { commonName: 'admin', organizations: ['system:masters'] });
    const denied = await as({ cert: foreign.certPem, key: foreign.keyPem }, 'GET', '/api/v1/namespaces');
    expect(denied.status).toBe(401);
    expect(denied.json()).toEqual(unauthorized);
  });
});

describe('service account tokens', () => {
  it('TokenRequest returns a token for the service account, valid for an hour by default', async () => {
    const before = Date.now();
    const r = await createToken('alice', 'bot');
    expect(r.status, r.body).toBe(201);
    const body = r.json<{ kind: string; metadata: { name: string; namespace: string }; spec: { audiences: string[]; expirationSeconds: number }; status: { token: string; expirationTimestamp: string } }>();
    expect(body).toMatchObject({ kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1', metadata: { name: 'bot', namespace: 'alice' } });
    expect(body.spec).toMatchObject({ audiences: ['https://kubernetes.default.svc.cluster.local'], expirationSeconds: 3600 });
    const expires = Date.parse(body.status.expirationTimestamp);
    expect(expires).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 3600_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 3601_000);
    const who = await as({ token: body.status.token }, 'POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' });
    expect(who.json<{ status: { userInfo: Record<string, unknown> } }>().status.userInfo).toMatchObject({
      username: 'system:serviceaccount:alice:bot',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:alice', 'system:authenticated'],
    });
  });

  it('TokenRequest validates like Kubernetes', async () => {
    const short = await createToken('alice', 'bot', { expirationSeconds: 60 });
    expect(short.status).toBe(422);
    expect(short.json()).toMatchObject({
      reason: 'Invalid',
      message: 'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes',
      details: { kind: 'TokenRequest', group: 'authentication.k8s.io', causes: [{ reason: 'FieldValueInvalid', field: 'spec.expirationSeconds' }] },
    });
    expect((await createToken('alice', 'bot', { expirationSeconds: 600 })).status).toBe(201);
    const missing = await createToken('alice', 'ghost');
    expect(missing.status).toBe(404);
    expect(missing.json()).toMatchObject({ reason: 'NotFound', message: 'serviceaccounts "ghost" not found' });
    const wrongName = await admin('POST', '/api/v1/namespaces/alice/serviceaccounts/bot/token', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata: { name: 'other' }, spec: {} });
    expect(wrongName.status).toBe(422);
    expect(wrongName.json<{ message: string }>().message).toBe('TokenRequest.authentication.k8s.io "bot" is invalid: metadata.name: Invalid value: "other": must match the service account name if specified');
    const badKind = await createToken('alice', 'bot', { boundObjectRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'd' } });
    expect(badKind.status).toBe(400);
    expect(badKind.json<{ message: string }>().message).toBe('cannot bind token to object of type apps/v1, Kind=Deployment');
    expect((await admin('GET', '/api/v1/namespaces/alice/serviceaccounts/bot/token')).status).toBe(405);
  });

  it('a token bound to a Secret dies with the Secret', async () => {
    const secret = await admin('POST', '/api/v1/namespaces/alice/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'holder' } });
    const uid = secret.json<{ metadata: { uid: string } }>().metadata.uid;
    const conflict = await createToken('alice', 'bot', { boundObjectRef: { apiVersion: 'v1', kind: 'Secret', name: 'holder', uid: 'not-the-uid' } });
    expect(conflict.status).toBe(409);
    const r = await createToken('alice', 'bot', { boundObjectRef: { apiVersion: 'v1', kind: 'Secret', name: 'holder', uid } });
    expect(r.status, r.body).toBe(201);
    const token = r.json<{ status: { token: string } }>().status.token;
    expect((await as({ token }, 'GET', '/api')).status).toBe(200);
    expect((await admin('DELETE', '/api/v1/namespaces/alice/secrets/holder')).status).toBe(200);
    expect((await as({ token }, 'GET', '/api')).status).toBe(401);
  });

  it('stop working when the service account is deleted and recreated', async () => {
    await admin('POST', '/api/v1/namespaces/alice/serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'temp' } });
    const token = await tokenFor('alice', 'temp');
    expect((await as({ token }, 'GET', '/api')).status).toBe(200);
    expect((await admin('DELETE', '/api/v1/namespaces/alice/serviceaccounts/temp')).status).toBe(200);
    await admin('POST', '/api/v1/namespaces/alice/serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'temp' } });
    const r = await as({ token }, 'GET', '/api');
    expect(r.status).toBe(401);
    expect(r.json()).toEqual(unauthorized);
    expect((await as({ token: await tokenFor('alice', 'temp') }, 'GET', '/api')).status).toBe(200);
  });

  it('forged, foreign-audience and expired tokens are 401', async () => {
    const token = await tokenFor('alice', 'bot');
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const otherUser = Buffer.from(JSON.stringify({ ...claims, sub: 'system:serviceaccount:kube-system:default' })).toString('base64url');
    expect((await as({ token: `${header}.${otherUser}.${signature}` }, 'GET', '/api')).status).toBe(401);
    expect((await as({ token: `${header}.${payload}.${signature.slice(0, -6)}AAAAAA` }, 'GET', '/api')).status).toBe(401);
    const vault = await createToken('alice', 'bot', { audiences: ['vault'] });
    expect((await as({ token: vault.json<{ status: { token: string } }>().status.token }, 'GET', '/api')).status).toBe(401);
    // Signed with the server's own key, so only the expiry is wrong.
    const key = await importPKCS8(await readFile(join(dataDir, 'pki', 'service-account.key'), 'utf8'), 'ES256');
    const expired = await new SignJWT({ 'kubernetes.io': claims['kubernetes.io'] })
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer(String(claims['iss']))
      .setAudience(claims['aud'] as string[])
      .setSubject(String(claims['sub']))
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(key);
    const r = await as({ token: expired }, 'GET', '/api');
    expect(r.status).toBe(401);
    expect(r.json()).toEqual(unauthorized);
  });
});

describe('the default service account', () => {
  it('exists in every namespace and comes back when deleted', async () => {
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease', 'alice']) {
      await eventually(async () => expect((await admin('GET', `/api/v1/namespaces/${ns}/serviceaccounts/default`)).status, ns).toBe(200));
    }
    const before = (await admin('GET', '/api/v1/namespaces/alice/serviceaccounts/default')).json<{ metadata: { uid: string } }>().metadata.uid;
    expect((await admin('DELETE', '/api/v1/namespaces/alice/serviceaccounts/default')).status).toBe(200);
    await eventually(async () => {
      const r = await admin('GET', '/api/v1/namespaces/alice/serviceaccounts/default');
      expect(r.status).toBe(200);
      expect(r.json<{ metadata: { uid: string } }>().metadata.uid).not.toBe(before);
    });
  });
});

describe('static token file', () => {
  it('authenticates its users; a bad file stops the server from starting', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kuscia-tokens-'));
    try {
      const file = join(dir, 'tokens.csv');
      await writeFile(file, 'sekret-1,dave,uid-dave,"ops,system:masters"\nsekret-2,erin,uid-erin\n');
      const s = await startApiServer({ dataDir: dir, storage: 'memory', port: 0, logger: silent, authentication: { tokenAuthFile: file } });
      try {
        const review = { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' };
        const dave = await requestAs(s.url, s.pki.ca.certPem, { token: 'sekret-1' }, 'POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', review);
        expect(dave.json<{ status: unknown }>().status).toEqual({ userInfo: { username: 'dave', uid: 'uid-dave', groups: ['ops', 'system:masters', 'system:authenticated'] } });
        expect((await requestAs(s.url, s.pki.ca.certPem, { token: 'sekret-1' }, 'GET', '/api/v1/nodes')).status).toBe(200);
        const erin = await requestAs(s.url, s.pki.ca.certPem, { token: 'sekret-2' }, 'GET', '/api/v1/nodes');
        expect(erin.status).toBe(403);
        expect((await requestAs(s.url, s.pki.ca.certPem, { token: 'sekret-3' }, 'GET', '/api/v1/nodes')).status).toBe(401);
      } finally {
        await s.stop();
      }
      await writeFile(file, 'sekret-1,dave\n');
      await expect(startApiServer({ dataDir: dir, storage: 'memory', port: 0, logger: silent, authentication: { tokenAuthFile: file } })).rejects.toThrow(
        `token file '${file}' must have at least 3 columns (token, user name, user uid), found 2 on line 1`,
      );
    } finally {
      await removeDir(dir);
    }
  });
});
